"""What a downloaded file says about its work: preface, chapters, afterword and file names."""

import datetime
import re
import unicodedata
import uuid
from dataclasses import dataclass

from django.conf import settings

from polis.core.sanitizer import strip_tags
from polis.core.wordcount import format_count
from polis.tags.models import TagType
from polis.works.languages import LANGUAGE_NAMES, RTL_LANGUAGES
from polis.works.models import Chapter, Work, tags_of_type
from polis.works.selectors import work_for_display
from polis.works.visibility import ANONYMOUS, byline_pseuds

# Preface labels per tag type, singular and plural, in AO3's order.
TAG_LABELS: list[tuple[str, str, str]] = [
    (TagType.RATING, "Rating", "Rating"),
    (TagType.WARNING, "Archive Warning", "Archive Warnings"),
    (TagType.CATEGORY, "Category", "Categories"),
    (TagType.FANDOM, "Fandom", "Fandoms"),
    (TagType.RELATIONSHIP, "Relationship", "Relationships"),
    (TagType.CHARACTER, "Character", "Characters"),
    (TagType.FREEFORM, "Additional Tags", "Additional Tags"),
]


@dataclass(frozen=True)
class TagGroup:
    label: str
    css_class: str
    names: list[str]


@dataclass(frozen=True)
class BookChapter:
    """One posted chapter; HTML fields are sanitized HTML as stored."""

    number: int
    heading: str
    title: str
    summary: str
    notes: str
    content: str
    end_notes: str


@dataclass(frozen=True)
class Book:
    """Everything a writer needs to produce one file, read from the database once."""

    work_id: int
    title: str
    byline: list[str]
    language: str
    language_name: str
    direction: str
    tags: list[TagGroup]
    stats: list[tuple[str, str]]
    published: datetime.date | None
    modified: datetime.datetime
    summary: str
    notes: str
    end_notes: str
    chapters: list[BookChapter]
    site_name: str
    work_url: str

    @property
    def byline_text(self) -> str:
        return ", ".join(self.byline)

    @property
    def subjects(self) -> list[str]:
        return [name for group in self.tags for name in group.names]

    @property
    def summary_text(self) -> str:
        return xml_safe(strip_tags(self.summary)) if self.summary else ""

    @property
    def title_direction(self) -> str:
        return text_direction(self.title, default=self.direction)

    @property
    def identifier(self) -> str:
        """A stable `urn:uuid:` for this work on this site (the same in every version)."""
        return work_identifier(self.work_id)


def _identifier(path: str) -> str:
    site = settings.POLIS_SITE_URL or settings.SITE_NAME
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{site}{path}')}"


def work_identifier(work_id: int) -> str:
    """The work's `urn:uuid:` on this site: in its EPUB, and as its id in catalog feeds."""
    return _identifier(f"/works/{work_id}")


def series_identifier(series_id: int) -> str:
    return _identifier(f"/series/{series_id}")


_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry (C0 controls, lone surrogates)."""
    return _NOT_XML_CHAR.sub("", text)


def download_byline(work: Work) -> list[str]:
    """The creators a download names ("Anonymous" while the work is anonymous)."""
    names = [xml_safe(str(pseud)) for pseud in byline_pseuds(work)]
    return names or [ANONYMOUS]


def text_direction(text: str, *, default: str = "ltr") -> str:
    """`rtl` or `ltr` from the first strongly directional character of `text`."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return default


def site_url() -> str:
    """The archive's public address without a trailing slash, or "" when not configured."""
    return settings.POLIS_SITE_URL.rstrip("/")


_NOT_SLUG = re.compile(r"[^A-Za-z0-9]+")
_NOT_FILENAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def title_slug(title: str, fallback: str) -> str:
    """A safe ASCII file name stem from a title (`fallback` when nothing is left)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("_", ascii_title).strip("_")[:60].rstrip("_")
    return slug or fallback


def title_unicode_name(title: str, fallback: str) -> str:
    """A title as a file name stem for `filename*`: any script, no path characters."""
    name = " ".join(_NOT_FILENAME.sub("_", title).split())[:100].strip(" ._")
    return name or fallback


def download_slug(work: Work) -> str:
    """A safe ASCII file name stem from the title (`Work_12` when nothing is left)."""
    return title_slug(work.title, f"Work_{work.pk}")


def download_unicode_name(work: Work) -> str:
    """The title as a file name stem for `filename*`: any script, no path characters."""
    return title_unicode_name(work.title, f"Work_{work.pk}")


def _stats(work: Work) -> list[tuple[str, str]]:
    stats = []
    if work.published_at:
        stats.append(("Published", work.published_at.isoformat()))
    multi = work.chapter_count > 1 or (work.expected_chapters or 0) > 1
    if multi and work.revised_at:
        label = "Completed" if work.complete else "Updated"
        stats.append((label, work.revised_at.date().isoformat()))
    stats.append(("Words", format_count(work.word_count)))
    stats.append(("Chapters", work.chapter_total_display))
    return stats


def _tag_groups(work: Work) -> list[TagGroup]:
    groups = []
    for tag_type, singular, plural in TAG_LABELS:
        names = [xml_safe(tag.name) for tag in tags_of_type(work, tag_type)]
        if names:
            groups.append(TagGroup(singular if len(names) == 1 else plural, tag_type, names))
    return groups


def _chapter(chapter: Chapter, *, multi: bool, work_title: str) -> BookChapter:
    return BookChapter(
        number=chapter.shown_number,
        heading=xml_safe(chapter.heading if multi else chapter.title or work_title),
        title=xml_safe(chapter.title),
        summary=chapter.summary,
        notes=chapter.notes,
        content=chapter.content,
        end_notes=chapter.end_notes,
    )


def book_for(work: Work, *, drafts: bool = False) -> Book:
    """Read a posted work and its posted chapters into a Book (three queries); with `drafts`
    (its creator's own copy, as in an account export) draft chapters too."""
    work = work_for_display(work)
    chapters = work.chapters.all() if drafts else work.chapters.filter(posted=True)
    chapters = list(chapters.numbered(drafts=drafts).order_by("position", "pk"))
    multi = len(chapters) > 1
    base = site_url()
    return Book(
        work_id=work.pk,
        title=xml_safe(work.title),
        byline=download_byline(work),
        language=work.language or "und",
        language_name=LANGUAGE_NAMES.get(work.language, work.language),
        direction="rtl" if work.language in RTL_LANGUAGES else "ltr",
        tags=_tag_groups(work),
        stats=_stats(work),
        published=work.published_at,
        modified=work.updated_at,
        summary=work.summary,
        notes=work.notes,
        end_notes=work.end_notes,
        chapters=[_chapter(c, multi=multi, work_title=work.title) for c in chapters],
        site_name=settings.SITE_NAME,
        work_url=f"{base}{work.get_absolute_url()}" if base else "",
    )
