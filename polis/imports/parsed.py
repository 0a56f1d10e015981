"""What a reader of any format gives: one neutral shape of a work, before it becomes a draft."""

import datetime
import re
from dataclasses import dataclass, field

from polis.tags.fixed import CATEGORIES, WARNINGS, Rating


@dataclass(kw_only=True)
class ParsedChapter:
    """One chapter as read: its source in `text_format` (HTML as found; sanitized when the
    draft is made)."""

    html: str
    text_format: str = "html"
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    published_at: datetime.date | None = None
    posted: bool = True


@dataclass(kw_only=True)
class ParsedWork:
    """Everything a source may say about a work; what it does not say stays empty."""

    title: str = ""
    creators: list[str] = field(default_factory=list)
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    rating: str = ""
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    language: str = ""
    published_at: datetime.date | None = None
    updated_at: datetime.date | None = None
    complete: bool | None = None
    expected_chapters: int | None = None
    restricted: bool | None = None
    series: list[tuple[str, int]] = field(default_factory=list)
    chapters: list[ParsedChapter] = field(default_factory=list)
    source_url: str = ""


class ImportRefused(Exception):
    """A source that cannot be imported, with a message for the writer."""


_RATINGS = {rating.value.casefold(): rating.value for rating in Rating}
_RATINGS.update(
    {
        "general": Rating.GENERAL.value,
        "teen and up": Rating.TEEN.value,
        "teen": Rating.TEEN.value,
        "not rated": Rating.NOT_RATED.value,
    }
)
_WARNINGS = {name.casefold(): name for name in WARNINGS}
# AO3 renamed the first warning; older downloads say "Creator Chose Not To …".
_WARNINGS["creator chose not to use archive warnings"] = WARNINGS[0]
_CATEGORIES = {name.casefold(): name for name in CATEGORIES}


def fixed_rating(name: str) -> str:
    return _RATINGS.get(name.strip().casefold(), "")


def fixed_names(names: list[str], known: dict[str, str]) -> list[str]:
    found: list[str] = []
    for name in names:
        fixed = known.get(name.strip().casefold())
        if fixed and fixed not in found:
            found.append(fixed)
    return found


def fixed_warnings(names: list[str]) -> list[str]:
    return fixed_names(names, _WARNINGS)


def fixed_categories(names: list[str]) -> list[str]:
    return fixed_names(names, _CATEGORIES)


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_date(text: str) -> datetime.date | None:
    """The first YYYY-MM-DD in `text` (AO3's stats, EPUB's dc:date, ISO times)."""
    match = _DATE.search(text or "")
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


_CHAPTER_HEADING = re.compile(r"^\s*Chapter\s+\d+\s*(?::\s*(?P<title>.*))?$", re.IGNORECASE | re.S)


def chapter_title(heading: str, *, work_title: str = "") -> str:
    """ "Chapter 2: The Storm" → "The Storm"; "Chapter 2" → ""; anything else as it is."""
    heading = " ".join(heading.split())
    match = _CHAPTER_HEADING.match(heading)
    if match:
        return (match["title"] or "").strip()
    return "" if heading == work_title else heading
