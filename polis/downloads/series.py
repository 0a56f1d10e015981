"""A series as one book: its works in series order, each with its own preface, chapters and
afterword, after a title page for the series."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.conf import settings

from polis.core.sanitizer import strip_tags
from polis.downloads.preface import (
    Book,
    book_for,
    series_identifier,
    site_url,
    text_direction,
    title_slug,
    title_unicode_name,
    xml_safe,
)
from polis.works.models import Series, Work


@dataclass(frozen=True)
class SeriesBook:
    """The series' own text and one Book per included work, in order.

    It answers the attributes the package and nav templates read from a Book (`title`,
    `byline`, `language`, `work_url`…), so both kinds of book share those templates.
    """

    series_id: int
    title: str
    byline: list[str]
    language: str
    direction: str
    summary: str
    notes: str
    parts: list[Book]
    published: datetime.date | None
    modified: datetime.datetime
    site_name: str
    work_url: str  # the series page: the name the shared templates read

    @property
    def byline_text(self) -> str:
        return ", ".join(self.byline)

    @property
    def subjects(self) -> list[str]:
        """Every tag of every work, once, in order of first use."""
        return list(dict.fromkeys(name for part in self.parts for name in part.subjects))

    @property
    def summary_text(self) -> str:
        return xml_safe(strip_tags(self.summary)) if self.summary else ""

    @property
    def title_direction(self) -> str:
        return text_direction(self.title, default=self.direction)

    @property
    def identifier(self) -> str:
        return series_identifier(self.series_id)


def series_byline(parts: list[Book]) -> list[str]:
    """Every name the works' bylines give, once, in series order ("Anonymous" included).

    Built from the works' download bylines, never from the series' own pseuds, so a series
    file cannot name the creator of an anonymous work.
    """
    return list(dict.fromkeys(name for part in parts for name in part.byline))


def series_book_for(series: Series, works: list[Work]) -> SeriesBook:
    """Read the series and each of `works` (posted, readable, in series order) into a book."""
    parts = [book_for(work) for work in works]
    languages = Counter(part.language for part in parts)
    # The most used language; on a tie, the one met first.
    language = max(languages, key=lambda code: (languages[code], -_first(parts, code)))
    direction = next(part.direction for part in parts if part.language == language)
    published = [part.published for part in parts if part.published]
    base = site_url()
    return SeriesBook(
        series_id=series.pk,
        title=xml_safe(series.title),
        byline=series_byline(parts),
        language=language,
        direction=direction,
        summary=series.summary,
        notes=series.notes,
        parts=parts,
        published=min(published) if published else None,
        modified=max([series.updated_at, *(part.modified for part in parts)]),
        site_name=settings.SITE_NAME,
        work_url=f"{base}{series.get_absolute_url()}" if base else "",
    )


def _first(parts: list[Book], language: str) -> int:
    return next(i for i, part in enumerate(parts) if part.language == language)


def series_slug(series: Series) -> str:
    return title_slug(series.title, f"Series_{series.pk}")


def series_unicode_name(series: Series) -> str:
    return title_unicode_name(series.title, f"Series_{series.pk}")
