"""`polis doctor`'s checks below engagement: filter sets, word counts and the search index.

Each compares what is stored with what the rows say, batch by batch, and repairs through the
functions the actions use (filter_sets_recompute, index_works), never by a second copy of
their logic.
"""

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Sum

from polis.core.doctor import Finding, id_batches
from polis.search.indexing import index_works
from polis.search.models import WorkDoc
from polis.tags.filters import compute_filter_sets, filter_sets_recompute
from polis.tags.models import FilterTagging
from polis.works.models import Chapter, Work

_DOC_STATS = (
    "word_count",
    "chapter_count",
    "hit_count",
    "kudos_count",
    "comment_count",
    "bookmark_count",
    "restricted",
)


def check_filter_sets(repair: bool) -> Iterator[Finding]:
    for batch in id_batches(Work.objects.all(), desc="filter sets"):
        wanted = compute_filter_sets(batch)
        have: dict[int, set[int]] = defaultdict(set)
        rows = FilterTagging.objects.filter(work_id__in=batch).values_list("work_id", "tag_id")
        for work_id, tag_id in rows:
            have[work_id].add(tag_id)
        wrong = [work_id for work_id in batch if wanted[work_id] != have[work_id]]
        if repair and wrong:
            filter_sets_recompute(wrong)
            index_works(wrong)
        for work_id in wrong:
            missing, extra = wanted[work_id] - have[work_id], have[work_id] - wanted[work_id]
            yield Finding(
                "filter sets",
                f"work {work_id}",
                f"{len(missing)} filter tag(s) missing, {len(extra)} extra",
                repair,
            )


def check_word_counts(repair: bool) -> Iterator[Finding]:
    """A posted work counts its posted chapters; a draft all of them (works.actions._recount)."""
    for batch in id_batches(Work.objects.all(), desc="word counts"):
        sums = {
            (work_id, posted): words
            for work_id, posted, words in Chapter.objects.filter(work_id__in=batch)
            .values("work_id", "posted")
            .annotate(words=Sum("word_count"))
            .values_list("work_id", "posted", "words")
        }
        works = Work.objects.filter(pk__in=batch).values_list("pk", "posted", "word_count")
        for work_id, work_posted, stored in works:
            words = sums.get((work_id, True), 0)
            if not work_posted:
                words += sums.get((work_id, False), 0)
            if words != stored:
                if repair:
                    Work.objects.filter(pk=work_id).update(word_count=words)
                    index_works([work_id])
                yield Finding(
                    "word counts",
                    f"work {work_id}",
                    f"word_count {stored}, chapters say {words}",
                    repair,
                )


def check_search_index(repair: bool) -> Iterator[Finding]:
    """The index holds exactly the listed works, each with the work's current figures."""
    from polis.works.visibility import listed_works

    for batch in id_batches(Work.objects.all(), desc="search index"):
        listed = set(listed_works().filter(pk__in=batch).values_list("pk", flat=True))
        docs = {
            doc["work_id"]: doc
            for doc in WorkDoc.objects.filter(work_id__in=batch).values("work_id", *_DOC_STATS)
        }
        works = {
            work["id"]: work
            for work in Work.objects.filter(pk__in=listed).values("id", *_DOC_STATS)
        }
        wrong: dict[int, str] = {}
        for work_id in sorted(listed - docs.keys()):
            wrong[work_id] = "listed but not in the index"
        for work_id in sorted(docs.keys() - listed):
            wrong[work_id] = "in the index but not listed"
        for work_id in sorted(listed & docs.keys()):
            stale = [f for f in _DOC_STATS if docs[work_id][f] != works[work_id][f]]
            if stale:
                wrong[work_id] = "index figures differ: " + ", ".join(stale)
        if repair and wrong:
            index_works(wrong)
        for work_id, problem in sorted(wrong.items()):
            yield Finding("search index", f"work {work_id}", problem, repair)
