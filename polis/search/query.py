"""What a listing asks for: a validated, engine-neutral description of a work search."""

import datetime
from dataclasses import dataclass, field
from enum import StrEnum


class Sort(StrEnum):
    """AO3's `sort_column` values, so existing search URLs keep working."""

    REVISED = "revised_at"
    POSTED = "created_at"
    TITLE = "title_to_sort_on"
    CREATOR = "authors_to_sort_on"
    WORDS = "word_count"
    HITS = "hits"
    KUDOS = "kudos_count"
    COMMENTS = "comments_count"
    BOOKMARKS = "bookmarks_count"
    BEST = "_score"


SORT_LABELS = {
    Sort.BEST: "Best Match",
    Sort.CREATOR: "Creator",
    Sort.TITLE: "Title",
    Sort.POSTED: "Date Posted",
    Sort.REVISED: "Date Updated",
    Sort.WORDS: "Word Count",
    Sort.HITS: "Hits",
    Sort.KUDOS: "Kudos",
    Sort.COMMENTS: "Comments",
    Sort.BOOKMARKS: "Bookmarks",
}

# Columns of search_workdoc behind each sort (best match is ranked by the engine).
SORT_COLUMNS = {
    Sort.REVISED: "revised_at",
    Sort.POSTED: "published_at",
    Sort.TITLE: "title_key",
    Sort.CREATOR: "creator_key",
    Sort.WORDS: "word_count",
    Sort.HITS: "hit_count",
    Sort.KUDOS: "kudos_count",
    Sort.COMMENTS: "comment_count",
    Sort.BOOKMARKS: "bookmark_count",
}

# Text sorts read A→Z by default, numbers and dates biggest/newest first.
ASCENDING_BY_DEFAULT = frozenset({Sort.TITLE, Sort.CREATOR})


@dataclass
class Range:
    low: int | None = None
    high: int | None = None


@dataclass
class WorkFilter:
    """Everything a listing filters on, with tag names already resolved to ids."""

    # A work must carry every one of these in its filter set (AND).
    include_tags: list[int] = field(default_factory=list)
    # Tags matched as written on the work rather than through filter sets (unwrangled tags).
    direct_tags: list[int] = field(default_factory=list)
    # Works carrying any of these as written are left out (blocked unwrangled tags).
    exclude_direct_tags: list[int] = field(default_factory=list)
    # A work carrying any of these is left out.
    exclude_tags: list[int] = field(default_factory=list)
    # Only works by this user or this pseud (user and pseud pages).
    creator_user_id: int | None = None
    creator_pseud_id: int | None = None
    # Works by these users are left out (the viewer muted them).
    hidden_creator_ids: list[int] = field(default_factory=list)
    # Only these works (a collection's items, a series' parts); None lists every work. The
    # scope adds no visibility rule of its own: every other field still applies.
    work_ids: list[int] | None = None
    crossover: bool | None = None
    complete: bool | None = None
    single_chapter: bool = False
    language: str = ""
    words: Range = field(default_factory=Range)
    hits: Range = field(default_factory=Range)
    kudos: Range = field(default_factory=Range)
    comments: Range = field(default_factory=Range)
    bookmarks: Range = field(default_factory=Range)
    revised_from: datetime.datetime | None = None
    revised_to: datetime.datetime | None = None
    query: str = ""
    # The parsed `query` (and `title`): set by parse_search or on first use (query_tree).
    expression: object = None
    title: str = ""
    creators: str = ""
    sort: Sort = Sort.REVISED
    descending: bool = True
    # False for logged-out readers: restricted works are left out.
    include_restricted: bool = False

    @property
    def has_text(self) -> bool:
        return bool(self.query.strip() or self.title.strip() or self.creators.strip())


# --- the free-text query -----------------------------------------------------------------


def query_tree(f: WorkFilter):
    """The parsed `query` and `title` of a filter (polis.search.querylang), parsed once and
    kept on the filter so every engine answering it reads the same tree (relative dates
    included). None when they ask for nothing."""
    from polis.search.querylang import And, parse_query, retarget

    if f.expression is None:
        parts = [parse_query(f.query)] if f.query.strip() else []
        if f.title.strip():
            parts.append(retarget(parse_query(f.title), "title"))
        parts = [part for part in parts if part is not None]
        f.expression = (parts[0] if len(parts) == 1 else And(tuple(parts))) if parts else False
    return f.expression or None
