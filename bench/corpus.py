"""A synthetic archive shaped like AO3, written straight into the tables in bulk.

Shape: Zipf-popular fandoms (the largest holds ~3 % of works; ~70,000 fandoms per million
works), characters and relationships per fandom, a Zipf pool of additional tags, 10–20 tags per
work, log-normal word counts, some synonyms and meta tags, 2 % restricted, 3 % drafts, and a
few hundred words of generated text per work so the full-text index is real.

Filter sets, search rows and full text are computed here in bulk rather than through
`polis.search.indexing` (which would take hours at a million works); a test checks that the
generator's filter sets equal what `polis.tags.filters.compute_filter_sets` derives.
"""

import datetime
import itertools
import random
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from bench.bulk import (
    Writer,
    _next_id,
    _reset_sequences,
    drop_indexes,
    model_rows,
    postgres_docs,
    prepare,
    rebuild_indexes,
    restore_dropped_indexes,
)
from polis.tags.fixed import CATEGORIES, WARNINGS, Rating

BATCH = 5000
VOCABULARY_SIZE = 6000
RATINGS = [r.value for r in Rating]
RATING_WEIGHTS = [30, 30, 15, 20, 5]
LANGUAGES = ["en"] * 90 + ["es", "fr", "de", "zh", "ru", "pt-BR", "it", "ja", "ko", "pl"]


def zipf_exponent(count: int, top_share: float) -> float:
    """The exponent s for which the most popular of `count` items takes `top_share`."""
    low, high = 0.0, 3.0
    for _ in range(60):
        s = (low + high) / 2
        total = sum(k**-s for k in range(1, min(count, 200_000) + 1))
        if 1 / total > top_share:
            high = s
        else:
            low = s
    return (low + high) / 2


def zipf_weights(count: int, s: float) -> list[float]:
    """Cumulative Zipf weights, ready for `random.choices(cum_weights=...)`."""
    return list(itertools.accumulate(k**-s for k in range(1, count + 1)))


@dataclass
class Vocabulary:
    fandoms: list[int] = field(default_factory=list)  # tag ids, most popular first
    fandom_weights: list[float] = field(default_factory=list)
    characters: dict[int, list[int]] = field(default_factory=dict)  # fandom → character ids
    relationships: dict[int, list[int]] = field(default_factory=dict)
    freeforms: list[int] = field(default_factory=list)
    freeform_weights: list[float] = field(default_factory=list)
    synonym_of: dict[int, int] = field(default_factory=dict)  # synonym tag → canonical
    synonyms: dict[int, list[int]] = field(default_factory=dict)  # canonical → synonyms
    metas: dict[int, list[int]] = field(default_factory=dict)  # tag → its meta tags
    canonical: set[int] = field(default_factory=set)
    names: dict[int, str] = field(default_factory=dict)
    fixed: dict[str, int] = field(default_factory=dict)  # fixed tag name → id


class TextSource:
    """Zipf-distributed words drawn in bulk with numpy (drawing one at a time is the slow part)."""

    def __init__(self, seed: int) -> None:
        weights = np.array([k**-1.05 for k in range(1, VOCABULARY_SIZE + 1)])
        self.p = weights / weights.sum()
        self.vocabulary = np.array([f"w{i}" for i in range(VOCABULARY_SIZE)], dtype=object)
        self.rng = np.random.default_rng(seed)
        self.buffer: list[str] = []
        self.at = 0

    def words(self, n: int) -> str:
        if self.at + n > len(self.buffer):
            drawn = self.rng.choice(len(self.vocabulary), size=max(n, 2_000_000), p=self.p)
            self.buffer, self.at = self.vocabulary[drawn].tolist(), 0
        self.at += n
        return " ".join(self.buffer[self.at - n : self.at])


def build_vocabulary(rng: random.Random, writer: Writer, works: int) -> Vocabulary:
    from polis.tags.models import Tag

    vocab = Vocabulary()
    vocab.fixed = dict(
        Tag.objects.filter(type__in=["rating", "warning", "category"]).values_list("name", "id")
    )
    vocab.names.update({tag_id: name for name, tag_id in vocab.fixed.items()})
    fixed_ids = set(vocab.fixed.values())
    n_fandoms = max(30, round(70_000 * works / 1_000_000))
    s = zipf_exponent(n_fandoms, 0.03)
    next_id = _next_id("tags_tag")
    now = timezone.now()
    tags: list[tuple] = []
    parents: list[tuple] = []
    metas: list[tuple] = []

    def new_tag(name: str, tag_type: str, canonical: bool, merger: int | None = None) -> int:
        nonlocal next_id
        tag_id = next_id
        next_id += 1
        tags.append((tag_id, name, name.casefold(), tag_type, canonical, merger, now))
        vocab.names[tag_id] = name
        if canonical:
            vocab.canonical.add(tag_id)
        return tag_id

    vocab.canonical |= fixed_ids
    run = rng.randrange(10**6)
    if Tag.objects.filter(name=f"Fandom {run}-1 (TV)").exists():
        # A second corpus in this archive (the same seed, or a run interrupted before):
        # new names, or the first tag would already exist.
        run = f"{run}.{next_id}"
    vocab.fandom_weights = zipf_weights(n_fandoms, s)
    for rank in range(1, n_fandoms + 1):
        fandom = new_tag(f"Fandom {run}-{rank} (TV)", "fandom", True)
        vocab.fandoms.append(fandom)
        # Popular fandoms have more characters (up to 120), small ones a handful.
        size = max(3, min(120, int(120 * rank ** -(s / 2))))
        chars = []
        for c in range(1, size + 1):
            char = new_tag(f"Character {run}-{rank}-{c}", "character", True)
            parents.append((fandom, char))
            chars.append(char)
            if rng.random() < 0.05:
                synonym = new_tag(f"Char {run}-{rank}.{c}", "character", False, merger=char)
                vocab.synonym_of[synonym] = char
                vocab.synonyms.setdefault(char, []).append(synonym)
        vocab.characters[fandom] = chars
        rels = []
        for r in range(1, max(2, size // 2) + 1):
            a, b = rng.sample(range(1, size + 1), 2) if size > 1 else (1, 1)
            rel = new_tag(
                f"Character {run}-{rank}-{a}/Character {run}-{rank}-{b} #{r}", "relationship", True
            )
            parents.append((fandom, rel))
            rels.append(rel)
        vocab.relationships[fandom] = rels
        if rank <= 100:
            # The biggest fandoms get an "All Media Types" meta tag, as on AO3.
            meta = new_tag(f"Fandom {run}-{rank} - All Media Types", "fandom", True)
            metas.append((meta, fandom))
            vocab.metas[fandom] = [meta]
    n_freeforms = max(200, works // 20)
    vocab.freeform_weights = zipf_weights(n_freeforms, 1.0)
    for f in range(1, n_freeforms + 1):
        vocab.freeforms.append(new_tag(f"Freeform {run}-{f}", "freeform", f <= n_freeforms // 2))
    # A few freeform meta tags: "Angst" ⊃ "Angst 2" style chains of depth 2.
    for f in range(0, min(50, n_freeforms // 4), 2):
        sub, meta = vocab.freeforms[f + 1], vocab.freeforms[f]
        if sub in vocab.canonical and meta in vocab.canonical:
            metas.append((meta, sub))
            vocab.metas.setdefault(sub, []).append(meta)
    for start in range(0, len(tags), BATCH):
        writer.insert(
            "tags_tag",
            ["id", "name", "key", "type", "canonical", "merger_id", "created_at"],
            tags[start : start + BATCH],
        )
    writer.insert("tags_tagparent", ["parent_id", "child_id"], parents)
    writer.insert("tags_metatagging", ["meta_id", "sub_id"], metas)
    return vocab


def filter_set(vocab: Vocabulary, tag_ids: list[int]) -> set[int]:
    """Canonical tags, canonical targets of synonyms, and every meta tag above them."""
    direct = set()
    for tag_id in tag_ids:
        if tag_id in vocab.canonical:
            direct.add(tag_id)
        elif tag_id in vocab.synonym_of:
            direct.add(vocab.synonym_of[tag_id])
    result = set(direct)
    stack = list(direct)
    while stack:
        for meta in vocab.metas.get(stack.pop(), []):
            if meta not in result:
                result.add(meta)
                stack.append(meta)
    return result


def build_corpus(*, works: int, seed: int = 1, progress: bool = True) -> dict:
    """Create `works` works (with users, tags, chapters and the search index); return counts."""
    rng = random.Random(seed)
    writer = Writer()
    if not connection.in_atomic_block:
        restore_dropped_indexes(progress)  # an earlier run interrupted after dropping them
    prepare()
    if not writer.pg:
        with connection.cursor() as cursor:
            # A bulk load: a big page cache, and durability left to the final commits.
            cursor.execute("PRAGMA cache_size = -1000000")
            if not connection.in_atomic_block:
                cursor.execute("PRAGMA synchronous = OFF")
    with transaction.atomic():
        vocab = build_vocabulary(rng, writer, works)
    text = TextSource(seed)
    users = max(10, works // 8)
    user_start, work_start = _next_id("accounts_user"), _next_id("works_work")
    pseud_start, chapter_start = _next_id("accounts_pseud"), _next_id("works_chapter")
    now = timezone.now()
    from polis.accounts.models import Pseud, User

    with transaction.atomic():
        # Through the ORM so that every field gets its model default.
        User.objects.bulk_create(
            [
                User(
                    id=user_start + i,
                    username=f"bench_{seed}_{user_start + i}",
                    password="!",
                    date_joined=now,
                )
                for i in range(users)
            ],
            batch_size=BATCH,
        )
        Pseud.objects.bulk_create(
            [
                Pseud(
                    id=pseud_start + i,
                    user_id=user_start + i,
                    name=f"bench_{seed}_{user_start + i}",
                    is_default=True,
                )
                for i in range(users)
            ],
            batch_size=BATCH,
        )
    user_weights = zipf_weights(users, 0.8)
    pseud_ids = list(range(pseud_start, pseud_start + users))
    pseud_names = {pseud_start + i: f"bench_{seed}_{user_start + i}" for i in range(users)}
    counts = {"works": 0, "taggings": 0, "filter_taggings": 0, "drafts": 0, "restricted": 0}
    loading = not connection.in_atomic_block  # a test's transaction keeps its indexes
    dropped = drop_indexes() if loading else []
    try:
        bar = tqdm(total=works, unit="works", disable=not progress, desc="corpus")
        span = 15 * 365 * 86400
        for batch_start in range(0, works, BATCH):
            size = min(BATCH, works - batch_start)
            rows = {
                name: []
                for name in ("work", "chapter", "creator", "tagging", "filter", "doc", "text")
            }
            rows["pseud_names"] = pseud_names
            creators_of = rng.choices(pseud_ids, cum_weights=user_weights, k=size)
            for offset in range(size):
                work_id = work_start + batch_start + offset
                _one_work(
                    rng,
                    vocab,
                    text,
                    now,
                    span,
                    work_id,
                    chapter_start + batch_start + offset,
                    creators_of[offset],
                    rows,
                    counts,
                )
            with transaction.atomic():
                _flush(writer, rows)
            bar.update(size)
        bar.close()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO tags_filtertagging (tag_id, work_id)"
                " SELECT tag_id, work_id FROM bench_filter ORDER BY tag_id, work_id"
            )
            cursor.execute("DROP TABLE bench_filter")
        if writer.pg:
            postgres_docs(progress)
    finally:
        # Even when the load stops half-way (Ctrl-C, an error): never leave the tables
        # without their indexes. kill -9 is mended by the next run (bench.bulk.MARKER).
        if loading:
            rebuild_indexes(dropped, progress)
    if writer.pg:
        _reset_sequences()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts["seconds_by_table"] = {k: round(v, 1) for k, v in writer.seconds.items()}
    return counts


def _one_work(rng, vocab, text, now, span, work_id, chapter_id, pseud_id, rows, counts) -> None:
    fandoms = {rng.choices(vocab.fandoms, cum_weights=vocab.fandom_weights)[0]}
    if rng.random() < 0.08:
        fandoms.add(rng.choices(vocab.fandoms, cum_weights=vocab.fandom_weights)[0])
    rating = rng.choices(RATINGS, weights=RATING_WEIGHTS)[0]
    tags = [vocab.fixed[rating]]
    tags += [vocab.fixed[w] for w in rng.sample(WARNINGS, rng.choice([1, 1, 1, 2]))]
    tags += [vocab.fixed[c] for c in rng.sample(CATEGORIES, rng.choice([0, 1, 1, 2]))]
    tags += sorted(fandoms)
    target = rng.randint(10, 20)
    for fandom in fandoms:
        chars = vocab.characters[fandom]
        for char in rng.sample(chars, min(len(chars), rng.randint(1, 4))):
            synonyms = vocab.synonyms.get(char)
            tags.append(rng.choice(synonyms) if synonyms and rng.random() < 0.3 else char)
        rels = vocab.relationships[fandom]
        tags += rng.sample(rels, min(len(rels), rng.randint(0, 2)))
    while len(set(tags)) < target:
        tags.append(rng.choices(vocab.freeforms, cum_weights=vocab.freeform_weights)[0])
    tags = sorted(set(tags))
    filters = sorted(filter_set(vocab, tags))
    draft = rng.random() < 0.03
    restricted = rng.random() < 0.02
    words = int(min(500_000, max(100, rng.lognormvariate(8.0, 1.2))))
    chapters_n = max(1, min(200, int(words / rng.uniform(2500, 6000))))
    published = now - datetime.timedelta(seconds=rng.randrange(span))
    revised = published + datetime.timedelta(
        seconds=rng.randrange(max(1, int((now - published).total_seconds())))
    )
    popularity = rng.lognormvariate(3.0, 1.5)
    kudos = int(popularity)
    hits = int(popularity * rng.uniform(8, 20))
    comments = int(popularity * rng.uniform(0.05, 0.4))
    bookmarks = int(popularity * rng.uniform(0.05, 0.3))
    title = text.words(rng.randint(2, 6)).title()
    summary = text.words(rng.randint(15, 60))
    body = text.words(rng.randint(150, 300))
    complete = rng.random() < 0.6
    expected = chapters_n if complete else None
    language = rng.choice(LANGUAGES)
    rows["work"].append(
        dict(
            id=work_id,
            title=title,
            summary=f"<p>{summary}</p>",
            rating=rating,
            language=language,
            restricted=restricted,
            posted=not draft,
            complete=complete,
            expected_chapters=expected,
            chapter_count=chapters_n,
            word_count=words,
            published_at=published.date(),
            revised_at=revised,
            hit_count=hits,
            kudos_count=kudos,
            comment_count=comments,
            bookmark_count=bookmarks,
        )
    )
    rows["chapter"].append(
        dict(
            id=chapter_id,
            work_id=work_id,
            position=1,
            text_format="html",
            source=f"<p>{body}</p>",
            content=f"<p>{body}</p>",
            word_count=words,
            posted=not draft,
            published_at=published.date(),
        )
    )
    rows["creator"].append(dict(work_id=work_id, pseud_id=pseud_id, accepted=True))
    rows["tagging"] += [(work_id, tag) for tag in tags]
    rows["filter"] += [(tag, work_id) for tag in filters]
    counts["taggings"] += len(tags)
    counts["filter_taggings"] += len(filters)
    counts["works"] += 1
    counts["drafts"] += draft
    counts["restricted"] += restricted and not draft
    if draft:
        return
    fandom_roots = {f for f in fandoms if not any(f in vocab.metas.get(o, []) for o in fandoms)}
    creator = rows["pseud_names"][pseud_id]
    rows["doc"].append(
        (
            work_id,
            restricted,
            revised,
            published.date(),
            words,
            chapters_n,
            complete,
            len(fandom_roots) > 1,
            language,
            hits,
            kudos,
            comments,
            bookmarks,
            title.casefold()[:255],
            creator,
            filters,
        )
    )
    rows["text"].append(
        (work_id, title, summary, "", "\n".join(vocab_name(vocab, t) for t in tags), creator, body)
    )


def vocab_name(vocab: Vocabulary, tag_id: int) -> str:
    return vocab.names[tag_id]


def _flush(writer: Writer, rows: dict) -> None:
    from polis.works.models import Chapter, Creatorship, Work

    for model, key in ((Work, "work"), (Chapter, "chapter"), (Creatorship, "creator")):
        writer.insert(*model_rows(model, rows[key]))
    writer.insert("works_tagging", ["work_id", "tag_id"], rows["tagging"])
    writer.insert("bench_filter", ["tag_id", "work_id"], rows["filter"])
    doc_columns = [
        "work_id",
        "restricted",
        "revised_at",
        "published_at",
        "word_count",
        "chapter_count",
        "complete",
        "crossover",
        "language",
        "hit_count",
        "kudos_count",
        "comment_count",
        "bookmark_count",
        "title_key",
        "creator_key",
    ]
    if writer.pg:
        writer.insert("bench_doc", [*doc_columns, "filter_tags"], rows["doc"])
        writer.insert(
            "bench_text",
            ["work_id", "title", "summary", "notes", "tags", "creators", "body"],
            rows["text"],
        )
    else:
        writer.insert("search_workdoc", doc_columns, [row[:-1] for row in rows["doc"]])
        writer.insert(
            "search_workfts",
            ["rowid", "title", "summary", "notes", "tags", "creators", "body"],
            rows["text"],
        )


def human(n: int) -> str:
    return f"{n:,}"


def size_summary(counts: dict) -> str:
    return ", ".join(
        f"{key} {human(value) if isinstance(value, int) else value}"
        for key, value in counts.items()
    )
