"""Keeping the search index equal to the works: called by every action that changes one.

Indexing runs inside the writer's transaction, so a change and its index entry become
visible together, on commit. Drafts and deleted works are removed from the index.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction

from polis.core.sanitizer import strip_tags
from polis.search import hooks
from polis.search.models import WorkChange, WorkDoc
from polis.tags.filters import meta_ancestors
from polis.tags.models import FilterTagging, TagType

# Characters of chapter text indexed per work (PostgreSQL caps a tsvector at 1 MB).
BODY_LIMIT = 400_000
_BATCH = 200


def index_works(work_ids: Iterable[int]) -> None:
    """Rebuild the index entries of these works from the database."""
    ids = sorted(set(work_ids))
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        with transaction.atomic():
            _index_batch(batch)
            _log_changes(batch)
            # Text, tags or visibility changed (not mere counters, see update_stats): tell
            # the apps listening, once it is committed.
            transaction.on_commit(lambda batch=batch: hooks.index_changed(batch))


def index_works_of_pseuds(pseud_ids: list[int]) -> None:
    """A byline changed (a pseud or account renamed): its works' creators text and blurbs."""
    from polis.works.models import Creatorship

    index_works(
        Creatorship.objects.filter(pseud_id__in=pseud_ids).values_list("work_id", flat=True)
    )


def _log_changes(ids: list[int]) -> None:
    """Tell in-process accelerators which works to reload (see polis.search.accel)."""
    WorkChange.objects.bulk_create([WorkChange(work_id=work_id) for work_id in ids])


def _index_batch(ids: list[int]) -> None:
    from polis.works.models import Chapter, Creatorship, Tagging
    from polis.works.visibility import listed_works

    # The index holds exactly the listed works: posted, not hidden, not unrevealed.
    works = {w.pk: w for w in listed_works().filter(pk__in=ids)}
    gone = [work_id for work_id in ids if work_id not in works]
    if gone:
        WorkDoc.objects.filter(work_id__in=gone).delete()
        _delete_text(gone)
    if not works:
        return
    live = list(works)
    filters: dict[int, list[int]] = defaultdict(list)
    for work_id, tag_id in FilterTagging.objects.filter(work_id__in=live).values_list(
        "work_id", "tag_id"
    ):
        filters[work_id].append(tag_id)
    tag_names: dict[int, list[str]] = defaultdict(list)
    fandoms: dict[int, set[int]] = defaultdict(set)
    for work_id, name, tag_type, canonical, merger_id, tag_id in Tagging.objects.filter(
        work_id__in=live
    ).values_list(
        "work_id", "tag__name", "tag__type", "tag__canonical", "tag__merger_id", "tag_id"
    ):
        tag_names[work_id].append(name)
        # Only wrangled fandoms count towards a crossover: a synonym as its canonical tag.
        if tag_type == TagType.FANDOM and (canonical or merger_id):
            fandoms[work_id].add(tag_id if canonical else merger_id)
    creators: dict[int, list[str]] = defaultdict(list)
    for work_id, pseud, username in (
        Creatorship.objects.filter(work_id__in=live, accepted=True)
        .order_by("created_at", "pk")
        .values_list("work_id", "pseud__name", "pseud__user__username")
    ):
        creators[work_id].append(pseud if pseud == username else f"{pseud} ({username})")
    for work in works.values():
        if work.anonymous:
            creators[work.pk] = []  # never searchable or sortable by an anonymous creator
    bodies: dict[int, list[str]] = defaultdict(list)
    for work_id, content in (
        Chapter.objects.filter(work_id__in=live, posted=True)
        .order_by("work_id", "position")
        .values_list("work_id", "content")
    ):
        bodies[work_id].append(strip_tags(content))
    crossover = _crossovers(fandoms)

    docs = [
        WorkDoc(
            work_id=work.pk,
            restricted=work.restricted,
            revised_at=work.revised_at,
            published_at=work.published_at,
            word_count=work.word_count,
            chapter_count=work.chapter_count,
            complete=work.complete,
            crossover=crossover.get(work.pk, False),
            language=work.language,
            hit_count=work.hit_count,
            kudos_count=work.kudos_count,
            comment_count=work.comment_count,
            bookmark_count=work.bookmark_count,
            title_key=work.title.casefold()[:255],
            creator_key=(creators[work.pk][0].casefold() if creators[work.pk] else "")[:255],
        )
        for work in works.values()
    ]
    WorkDoc.objects.bulk_create(
        docs,
        update_conflicts=True,
        unique_fields=["work"],
        update_fields=[
            field.name for field in WorkDoc._meta.concrete_fields if not field.primary_key
        ],
    )
    texts = {
        work.pk: (
            work.title,
            strip_tags(work.summary),
            strip_tags(work.notes + "\n" + work.end_notes),
            "\n".join(tag_names[work.pk]),
            "\n".join(creators[work.pk]),
            "\n".join(bodies[work.pk])[:BODY_LIMIT],
        )
        for work in works.values()
    }
    _write_text(texts, filters)


def _crossovers(fandoms: dict[int, set[int]]) -> dict[int, bool]:
    """AO3's rule: fandoms are related when they share a meta tag (any level up, or are one
    another's); a work is a crossover when no fandom on it is related to all the others."""
    candidates = {work_id: tags for work_id, tags in fandoms.items() if len(tags) > 1}
    if not candidates:
        return {}
    ancestors = meta_ancestors(set().union(*candidates.values()))
    family = {tag: {tag} | metas for tag, metas in ancestors.items()}
    return {
        work_id: not any(all(family[a] & family[b] for b in tags) for a in tags)
        for work_id, tags in candidates.items()
    }


def _delete_text(ids: list[int]) -> None:
    if connection.vendor == "sqlite":
        placeholders = ",".join("%s" for _ in ids)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM search_workfts WHERE rowid IN ({placeholders})", ids)


def _write_text(texts: dict[int, tuple[str, ...]], filters: dict[int, list[int]]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            _delete_text(list(texts))
            cursor.executemany(
                "INSERT INTO search_workfts (rowid, title, summary, notes, tags, creators, body)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [(work_id, *values) for work_id, values in texts.items()],
            )
        elif connection.vendor == "postgresql":
            cursor.executemany(
                """
                UPDATE search_workdoc SET
                    filter_tags = %s::integer[],
                    document =
                        setweight(to_tsvector('simple', %s), 'A')
                        || setweight(to_tsvector('simple', %s), 'B')
                        || setweight(to_tsvector('simple', %s), 'B')
                        || setweight(to_tsvector('simple', %s), 'C')
                        || setweight(to_tsvector('simple', %s), 'C')
                        || setweight(to_tsvector('simple', %s), 'D'),
                    fields =
                        setweight(to_tsvector('simple', %s), 'A')
                        || setweight(to_tsvector('simple', %s), 'B')
                        || setweight(to_tsvector('simple', %s), 'C')
                WHERE work_id = %s
                """,
                [
                    (
                        sorted(filters.get(work_id, [])),
                        title,
                        creators,
                        tags,
                        summary,
                        notes,
                        body,
                        summary,
                        notes,
                        creators,
                        work_id,
                    )
                    for work_id, (title, summary, notes, tags, creators, body) in texts.items()
                ],
            )


def update_stats(work_ids: Iterable[int]) -> None:
    """Copy the counters (hits, kudos, comments, bookmarks) of these works into the index.

    Cheaper than `index_works`: counters change often and touch no text or tags. One
    statement per batch (a flush of hits may name thousands of works).
    """
    from polis.works.models import Work

    doc, work = WorkDoc._meta.db_table, Work._meta.db_table
    assignments = ", ".join(
        f"{column} = (SELECT w.{column} FROM {work} w WHERE w.id = {doc}.work_id)"
        for column in ("hit_count", "kudos_count", "comment_count", "bookmark_count")
    )
    ids = sorted(set(work_ids))
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        placeholders = ", ".join(["%s"] * len(batch))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {doc} SET {assignments} WHERE work_id IN ({placeholders})", batch
            )
            _log_changes(batch)
