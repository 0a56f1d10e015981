"""What a listing asks for: a validated, engine-neutral description of a work search."""

import datetime
import re
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
    title: str = ""
    creators: str = ""
    sort: Sort = Sort.REVISED
    descending: bool = True
    # False for logged-out readers: restricted works are left out.
    include_restricted: bool = False

    @property
    def has_text(self) -> bool:
        return bool(self.query.strip() or self.title.strip() or self.creators.strip())


# --- full-text queries -------------------------------------------------------------------

_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


@dataclass
class TextQuery:
    """A parsed free-text query: AND of groups (each an OR of terms), minus excluded terms."""

    groups: list[list[str]]
    excluded: list[str]

    @property
    def empty(self) -> bool:
        return not self.groups and not self.excluded


def _words(text: str) -> str:
    """Keep letters, digits and spaces: the engines tokenise the same way."""
    return " ".join(re.findall(r"\w+", text))


def parse_text_query(text: str) -> TextQuery:
    """`a b` = a AND b; `"a b"` = phrase; `a OR b`; `-a` = without a (AO3/web habits)."""
    groups: list[list[str]] = []
    excluded: list[str] = []
    pending_or = False
    for match in _TOKEN.finditer(text[:1000]):
        negative, phrase, bare = match.groups()
        if bare is not None and bare == "OR":
            pending_or = bool(groups)
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negative, bare = "-", bare[1:]
        term = _words(phrase if phrase is not None else bare)
        if not term:
            continue
        if negative:
            excluded.append(term)
        elif pending_or and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    return TextQuery(groups=groups[:20], excluded=excluded[:20])
