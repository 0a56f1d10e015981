"""Reading AO3's `work_search[...]` parameters into a WorkFilter, with notices, never a 500.

Both the filter sidebar (`include_work_search[fandom_ids][]`, `work_search[words_from]`, …)
and the search page (`work_search[word_count]=>5000`, `work_search[revised_at]=< 2 weeks`,
…) use these names on AO3, so readers' bookmarked URLs work here.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils import timezone

from polis.search.query import ASCENDING_BY_DEFAULT, Range, Sort, WorkFilter
from polis.search.querylang import And, QueryError, parse_query, retarget
from polis.tags.models import Tag, TagType
from polis.tags.names import split_tag_field, tag_key
from polis.works.models import Tagging
from polis.works.visibility import listed_works

MAX_TAGS = 100
MAX_QUERY_LENGTH = 1000

# Sidebar checkbox groups: parameter → tag type.
ID_FIELDS = {
    "rating_ids": TagType.RATING,
    "archive_warning_ids": TagType.WARNING,
    "category_ids": TagType.CATEGORY,
    "fandom_ids": TagType.FANDOM,
    "character_ids": TagType.CHARACTER,
    "relationship_ids": TagType.RELATIONSHIP,
    "freeform_ids": TagType.FREEFORM,
}
# Search-page name fields: parameter → tag type (None: any type).
NAME_FIELDS = {
    "fandom_names": TagType.FANDOM,
    "character_names": TagType.CHARACTER,
    "relationship_names": TagType.RELATIONSHIP,
    "freeform_names": TagType.FREEFORM,
    "other_tag_names": None,
}
COUNT_FIELDS = {
    "word_count": "words",
    "hits": "hits",
    "kudos_count": "kudos",
    "comments_count": "comments",
    "bookmarks_count": "bookmarks",
}
_UNITS = {"day": 1, "week": 7, "month": 30, "year": 365, "hour": 1 / 24}
# Ages reaching further back than this mean "since the beginning".
OLDEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)


class BadSearch(ValueError):
    """Parameters that cannot be answered; the page says why (HTTP 400). `field`: the
    `work_search[...]` parameter at fault, when it is one (the API names it)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class ParsedSearch:
    filter: WorkFilter
    notices: list[str] = field(default_factory=list)
    # Tag ids ticked in the sidebar, to keep the checkboxes ticked.
    included_ids: set[int] = field(default_factory=set)
    excluded_ids: set[int] = field(default_factory=set)
    values: dict[str, str] = field(default_factory=dict)


def _clean(value: str) -> str:
    # PostgreSQL refuses NUL in text; no field has a use for it.
    return value.replace("\x00", "").strip()


def _get(params: QueryDict, name: str, prefix: str = "work_search") -> str:
    return _clean(params.get(f"{prefix}[{name}]") or "")


def _get_list(params: QueryDict, name: str, prefix: str) -> list[str]:
    values = params.getlist(f"{prefix}[{name}][]") + params.getlist(f"{prefix}[{name}]")
    return [_clean(value) for value in values]


def parse_count_range(text: str, label: str) -> Range:
    """`>5000`, `<1000`, `1000-5000` or `5000` (commas allowed), as on AO3."""
    value = text.replace(",", "").replace(" ", "")
    if not value:
        return Range()
    match = re.fullmatch(r"([<>])(\d{1,12})", value)
    if match:
        number = int(match[2])
        return Range(low=number + 1) if match[1] == ">" else Range(high=max(number - 1, 0))
    match = re.fullmatch(r"(\d{1,12})-(\d{1,12})", value)
    if match:
        low, high = int(match[1]), int(match[2])
        if low > high:
            raise BadSearch(f"{label}: the range {text} runs backwards.")
        return Range(low=low, high=high)
    if re.fullmatch(r"\d{1,12}", value):
        return Range(low=int(value), high=int(value))
    raise BadSearch(f"{label}: use a number, “<1000”, “>5000” or “1000-5000”, not “{text}”.")


def parse_age_range(text: str) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """`< 2 weeks` (newer than), `> 1 year` (older than), `1-2 weeks`: AO3's revised_at."""
    value = text.strip().lower()
    if not value:
        return None, None
    match = re.fullmatch(
        r"([<>]?)\s*(\d{1,5})(?:\s*-\s*(\d{1,5}))?\s*(hour|day|week|month|year)s?(?:\s+ago)?", value
    )
    if not match:
        raise BadSearch(
            f"Date updated: use e.g. “< 2 weeks”, “> 1 year” or “1-2 months”, not “{text}”."
        )
    sign, first, second, unit = match.groups()
    now = timezone.now()
    days = _UNITS[unit]

    def ago(n: str) -> datetime.datetime:
        # "< 99999 years" reaches before any work: clamp instead of overflowing.
        return now - min(datetime.timedelta(days=int(n) * days), now - OLDEST)

    if second:
        low, high = sorted((int(first), int(second)))
        return ago(str(high)), ago(str(low))
    if sign == "<":
        return ago(first), None
    if sign == ">":
        return None, ago(first)
    return ago(str(int(first) + 1)), ago(first)


def _parse_date(text: str, label: str) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise BadSearch(f"{label}: use a date like 2024-12-31, not “{text}”.") from None


def _tri(text: str) -> bool | None:
    return {"T": True, "F": False, "true": True, "false": False}.get(text)


def _ids(values: list[str]) -> list[int]:
    ids = []
    for value in values:
        # isdigit() alone accepts "²", which int() refuses.
        if not (value.isascii() and value.isdigit()) or len(value) > 12:
            raise BadSearch("Tag ids must be numbers.")
        ids.append(int(value))
    return ids


def _tags_by_name(
    names: list[str],
    tag_type: str | None,
    notices: list[str],
    direct: list[int],
    *,
    include_restricted: bool,
) -> list[int]:
    """Resolve names to the canonical tags they filter by; unknown names get a notice.

    A tag not wrangled yet (neither canonical nor a synonym) filters by the works carrying
    it as written: its id goes to `direct`. Once it is made canonical its synonyms' works
    come in through its filter set. An unwrangled tag that no listed work carries is as
    unknown as a name never typed (it may sit only on drafts or hidden works, which a notice
    must not reveal)."""
    if not names:
        return []
    found = {tag.key: tag for tag in Tag.objects.filter(key__in=[tag_key(n) for n in names])}
    bare = [tag.pk for tag in found.values() if not tag.canonical and not tag.merger_id]
    if bare:
        works = listed_works() if include_restricted else listed_works().filter(restricted=False)
        used = set(
            Tagging.objects.filter(tag_id__in=bare, work__in=works).values_list("tag_id", flat=True)
        )
        found = {key: tag for key, tag in found.items() if tag.pk not in set(bare) - used}
    ids = []
    for name in names:
        tag = found.get(tag_key(name))
        if tag is None or (tag_type and tag.type != tag_type):
            notices.append(f"We couldn't find the tag “{name}”, so it was ignored.")
        elif tag.canonical:
            ids.append(tag.pk)
        elif tag.merger_id:
            ids.append(tag.merger_id)
        else:
            direct.append(tag.pk)
    return ids


def _query_tree(query: str, title: str, *, include_restricted: bool):
    """The query box and the title box in AO3's query language (polis.search.querylang)."""
    parts = []
    for name, text in (("query", query), ("title", title)):
        try:
            node = parse_query(text, allow_restricted=include_restricted)
        except QueryError as error:
            label = "Search" if name == "query" else "Title"
            raise BadSearch(f"{label}: {error}", field=name) from None
        if node is not None:
            parts.append(retarget(node, "title") if name == "title" else node)
    if not parts:
        return False
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def parse_search(params: QueryDict, *, include_restricted: bool) -> ParsedSearch:
    """Turn request parameters into a WorkFilter; raise BadSearch for what can't be answered."""
    notices: list[str] = []
    f = WorkFilter(include_restricted=include_restricted)
    included: list[int] = []
    excluded: list[int] = []
    for name in ID_FIELDS:
        included += _ids(_get_list(params, name, "include_work_search"))
        included += _ids(_get_list(params, name, "work_search"))
        excluded += _ids(_get_list(params, name, "exclude_work_search"))
    ticked_in, ticked_out = set(included), set(excluded)
    named = {name: split_tag_field(_get(params, name)) for name in NAME_FIELDS}
    excluded_names = split_tag_field(_get(params, "excluded_tag_names"))
    # Count names before looking them up: a long list must not reach the database.
    if (
        len(included) + sum(map(len, named.values())) > MAX_TAGS
        or len(excluded) + len(excluded_names) > MAX_TAGS
    ):
        raise BadSearch(f"Filter on at most {MAX_TAGS} tags to include and {MAX_TAGS} to exclude.")
    direct: list[int] = []
    excluded_direct: list[int] = []
    for name, tag_type in NAME_FIELDS.items():
        included += _tags_by_name(
            named[name], tag_type, notices, direct, include_restricted=include_restricted
        )
    excluded += _tags_by_name(
        excluded_names, None, notices, excluded_direct, include_restricted=include_restricted
    )
    f.direct_tags = sorted(set(direct))
    f.exclude_direct_tags = sorted(set(excluded_direct) - set(direct))
    if len(included) > MAX_TAGS or len(excluded) > MAX_TAGS:
        raise BadSearch(f"Filter on at most {MAX_TAGS} tags to include and {MAX_TAGS} to exclude.")
    known = set(
        Tag.objects.filter(pk__in=set(included) | set(excluded)).values_list("pk", flat=True)
    )
    if (set(included) | set(excluded)) - known:
        notices.append("Some of the selected tags no longer exist and were ignored.")
    f.include_tags = sorted({t for t in included if t in known})
    f.exclude_tags = sorted({t for t in excluded if t in known} - set(f.include_tags))

    crossover = _get(params, "crossover")
    f.crossover = _tri(crossover)
    f.complete = _tri(_get(params, "complete"))
    f.single_chapter = _get(params, "single_chapter") in {"1", "true", "T"}
    f.language = _get(params, "language_id")[:12]
    f.query = _get(params, "query")
    f.title = _get(params, "title")
    f.expression = _query_tree(f.query, f.title, include_restricted=include_restricted)
    f.creators = _get(params, "creators")[:MAX_QUERY_LENGTH]
    for name, attribute in COUNT_FIELDS.items():
        setattr(
            f, attribute, parse_count_range(_get(params, name), name.replace("_", " ").capitalize())
        )
    words_from, words_to = _get(params, "words_from"), _get(params, "words_to")
    if words_from or words_to:
        low = parse_count_range(words_from, "Words from").low if words_from else None
        high = parse_count_range(words_to, "Words to").high if words_to else None
        if low is not None and high is not None and low > high:
            raise BadSearch("Word count: “from” is larger than “to”.")
        f.words = Range(
            low=low if low is not None else f.words.low,
            high=high if high is not None else f.words.high,
        )
    f.revised_from, f.revised_to = parse_age_range(_get(params, "revised_at"))
    date_from = _parse_date(_get(params, "date_from"), "Date updated from")
    date_to = _parse_date(_get(params, "date_to"), "Date updated to")
    if date_from and date_to and date_from > date_to:
        raise BadSearch("Date updated: “from” is later than “to”.")
    tz = timezone.get_current_timezone()
    if date_from:
        f.revised_from = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
    if date_to and date_to < datetime.date.max:
        f.revised_to = datetime.datetime.combine(
            date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )

    sort = _get(params, "sort_column")
    try:
        f.sort = Sort(sort) if sort else (Sort.BEST if f.has_text else Sort.REVISED)
    except ValueError:
        notices.append(f"Unknown sort “{sort[:40]}”; sorted by date updated.")
        f.sort = Sort.REVISED
    direction = _get(params, "sort_direction").lower()
    f.descending = (
        direction == "desc" if direction in {"asc", "desc"} else f.sort not in ASCENDING_BY_DEFAULT
    )
    values = {key: value for key, value in params.items() if key.startswith("work_search[")}
    return ParsedSearch(
        filter=f,
        notices=notices,
        included_ids=ticked_in,
        excluded_ids=ticked_out,
        values=values,
    )
