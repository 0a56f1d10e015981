"""Read HTML: AO3-shaped archive pages and downloads (AO3, Polis, otwarchive), or any page."""

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from polis.core.sanitizer import MAX_NESTING_DEPTH, nesting_depth
from polis.imports.parsed import (
    ImportRefused,
    ParsedChapter,
    ParsedWork,
    chapter_title,
    fixed_categories,
    fixed_rating,
    fixed_warnings,
    parse_date,
)
from polis.works.languages import LANGUAGES

_LANGUAGE_CODES = {name.casefold(): code for code, name in LANGUAGES}
_LANGUAGE_CODES.update({code.casefold(): code for code, _ in LANGUAGES})
# Which list a `dt`/`dd` of AO3's meta (by class or label) fills.
_META_KEYS = (
    ("rating", "rating"),
    ("warning", "warnings"),
    ("categor", "categories"),
    ("fandom", "fandoms"),
    ("relationship", "relationships"),
    ("character", "characters"),
    ("freeform", "freeforms"),
    ("additional", "freeforms"),
    ("language", "language"),
    ("series", "series"),
    ("stats", "stats"),
)
# "Part 1 of A, Part 3 of B" (a download) or one "Part 1 of A" per span (a work page).
_PART_OF = re.compile(r"Part\s+(\d+)\s+of\s+(.+?)(?=,\s*Part\s+\d+\s+of\s|$)", re.IGNORECASE)
_CHAPTERS = re.compile(r"Chapters:\s*(\d+)\s*/\s*(\d+|\?)")


def soup_of(html: str) -> BeautifulSoup:
    # Deeply nested markup is refused before any tree is walked (as the sanitizer does).
    if nesting_depth(html) > MAX_NESTING_DEPTH:
        raise ImportRefused(f"This page nests HTML more than {MAX_NESTING_DEPTH} levels deep.")
    return BeautifulSoup(html, "html.parser")


def inner_html(node: Tag | None) -> str:
    if node is None:
        return ""
    return "".join(str(child) for child in node.contents).strip()


def _text(node: Tag | None) -> str:
    return " ".join(node.get_text(" ").split()) if node is not None else ""


def _classes(node: Tag) -> list[str]:
    return [c.casefold() for c in node.get("class") or []]


def language_code(name: str) -> str:
    return _LANGUAGE_CODES.get(name.strip().casefold(), "")


def is_archive_page(soup: BeautifulSoup) -> bool:
    """A work page or download of an AO3-shaped archive (its meta list is the mark)."""
    return bool(
        soup.select_one("dl.work.meta")
        or soup.select_one("#preface dl.tags")
        or soup.select_one("div.preface dl.tags")
    )


def _meta_key(dt: Tag) -> str:
    label = " ".join(_classes(dt)) + " " + _text(dt).casefold()
    for needle, key in _META_KEYS:
        if needle in label:
            return key
    return ""


def _names(dd: Tag) -> list[str]:
    links = dd.select("a.tag") or dd.select("a")
    if links:
        return [_text(a) for a in links if _text(a)]
    return [name.strip() for name in _text(dd).split(",") if name.strip()]


def _read_meta(work: ParsedWork, pairs: list[tuple[str, Tag]]) -> None:
    for key, dd in pairs:
        if key == "rating":
            names = _names(dd)
            work.rating = fixed_rating(names[0]) if names else ""
        elif key == "warnings":
            work.warnings = fixed_warnings(_names(dd))
        elif key == "categories":
            work.categories = fixed_categories(_names(dd))
        elif key in {"fandoms", "relationships", "characters", "freeforms"}:
            setattr(work, key, _names(dd))
        elif key == "language":
            work.language = language_code(_text(dd))
        elif key == "series":
            for part in dd.select("span.position") or [dd]:
                for match in _PART_OF.finditer(_text(part)):
                    work.series.append((match[2].strip(), int(match[1])))
        elif key == "stats":
            _read_stats(work, dd)


def _read_stats(work: ParsedWork, node: Tag) -> None:
    """AO3's `dl.stats` (dd.published, dd.status) or a download's one-line stats."""
    published = node.select_one("dd.published")
    status = node.select_one("dd.status")
    status_label = node.select_one("dt.status")
    text = _text(node)
    work.published_at = parse_date(_text(published)) if published else None
    if work.published_at is None:
        match = re.search(r"Published:\s*(\S+)", text)
        work.published_at = parse_date(match[1]) if match else None
    if status is not None:
        work.updated_at = parse_date(_text(status))
        if status_label is not None and "completed" in _text(status_label).casefold():
            work.complete = True
    else:
        match = re.search(r"(Updated|Completed):\s*(\S+)", text)
        if match:
            work.updated_at = parse_date(match[2])
            work.complete = True if match[1] == "Completed" else None
    chapters = _CHAPTERS.search(text)
    if chapters:
        posted, expected = int(chapters[1]), chapters[2]
        work.expected_chapters = None if expected == "?" else int(expected)
        if work.complete is None:
            work.complete = work.expected_chapters == posted


def _blockquote_after(label: Tag) -> str:
    for sibling in label.next_siblings:
        if isinstance(sibling, Tag):
            return inner_html(sibling) if sibling.name == "blockquote" else ""
    return ""


def _labelled_blocks(scope: Tag) -> dict[str, str]:
    """`<p>Summary</p><blockquote>…` (AO3 downloads) or `div.summary blockquote` (pages)."""
    found: dict[str, str] = {}
    for label in scope.find_all(["p", "h2", "h3"], recursive=True):
        text = _text(label).casefold().rstrip(":")
        if text in {"summary", "notes", "end notes", "chapter summary", "chapter notes"} or (
            text in {"chapter end notes"}
        ):
            found.setdefault(text, _blockquote_after(label))
    return found


def read_archive_page(html: str, *, source_url: str = "") -> ParsedWork:
    """An AO3-shaped work page (`?view_full_work=true`) or its HTML/EPUB download."""
    soup = soup_of(html)
    work = ParsedWork(source_url=source_url)
    page = soup.select_one("dl.work.meta")
    if page is not None:
        _read_work_page(soup, page, work)
    else:
        _read_download(soup, work)
    if not work.chapters:
        raise ImportRefused("No chapter text was found on this page.")
    return work


def chapter_index_dates(html: str) -> list:
    """The dates of an AO3-shaped chapter index: `ol.chapter.index li` with `span.datetime`."""
    soup = soup_of(html)
    return [
        parse_date(_text(item.select_one("span.datetime")))
        for item in soup.select("ol.chapter.index li")
    ]


def _read_work_page(soup: BeautifulSoup, meta: Tag, work: ParsedWork) -> None:
    pairs = [(_meta_key(dd), dd) for dd in meta.find_all("dd", recursive=False)]
    _read_meta(work, [(key, dd) for key, dd in pairs if key and key != "stats"])
    stats = meta.select_one("dl.stats")
    if stats is not None:
        _read_stats(work, stats)
    preface = soup.select_one("div.preface") or soup
    # AO3 titles its work page with an h2; Polis, since its h1 fix (ADR 0015), with an h1.
    work.title = _text(preface.select_one("h2.title, h1.title")) or _text(soup.find("title"))
    work.creators = [_text(a) for a in preface.select("h3.byline a[rel~=author]")]
    work.summary = inner_html(preface.select_one("div.summary blockquote"))
    work.notes = inner_html(preface.select_one("div.notes blockquote"))
    work.end_notes = inner_html(soup.select_one("#work_endnotes blockquote"))
    work.restricted = soup.select_one('img[alt="(Restricted)"]') is not None or None
    chapters = soup.select("#chapters > div.chapter")
    for node in chapters:
        body = node.select_one("div.userstuff")
        if body is None:
            continue
        for landmark in body.select("h3.landmark"):
            landmark.decompose()
        work.chapters.append(
            ParsedChapter(
                html=inner_html(body),
                title=chapter_title(_text(node.select_one("h3.title")), work_title=work.title),
                summary=inner_html(node.select_one("div.summary blockquote")),
                notes=inner_html(node.select_one("div.notes:not(.end) blockquote")),
                end_notes=inner_html(node.select_one("div.end.notes blockquote")),
            )
        )
    if not chapters:
        body = soup.select_one("#chapters div.userstuff") or soup.select_one("#chapters")
        if body is not None:
            for landmark in body.select("h3.landmark"):
                landmark.decompose()
            work.chapters.append(ParsedChapter(html=inner_html(body)))


def _read_download(soup: BeautifulSoup, work: ParsedWork) -> None:
    """AO3's download (`#preface`, `#chapters`, `#afterword`) or Polis' own (`div.preface`,
    `section.chapter`, `div.afterword`); an EPUB's pages joined give the same shape."""
    preface = soup.select_one("#preface") or soup.select_one("div.preface") or soup
    tags = preface.select_one("dl.tags")
    pairs = []
    for dt in tags.find_all("dt") if tags is not None else []:
        dd = dt.find_next_sibling("dd")
        if dd is not None and _meta_key(dt):
            pairs.append((_meta_key(dt), dd))
    _read_meta(work, pairs)
    work.title = _text(preface.find("h1")) or _text(soup.find("title"))
    byline = preface.select_one(".byline")
    if byline is not None:
        links = byline.select("a[rel~=author]") or byline.select("a")
        names = [_text(a) for a in links] or [
            name.strip() for name in re.sub(r"^\s*by\s+", "", _text(byline)).split(",")
        ]
        work.creators = [name for name in names if name]
    blocks = _labelled_blocks(preface)
    work.summary = inner_html(preface.select_one("div.summary blockquote")) or blocks.get(
        "summary", ""
    )
    work.notes = inner_html(preface.select_one("div.notes blockquote")) or blocks.get("notes", "")
    afterword = soup.select_one("#afterword") or soup.select_one("div.afterword")
    if afterword is not None:
        work.end_notes = inner_html(
            afterword.select_one("div.endnotes blockquote")
        ) or _labelled_blocks(afterword).get("end notes", "")
    sections = soup.select("section.chapter")
    if sections:
        for node in sections:
            work.chapters.append(
                ParsedChapter(
                    html=inner_html(node.select_one("div.userstuff.text")),
                    title=chapter_title(
                        _text(node.select_one("h2.heading")), work_title=work.title
                    ),
                    summary=inner_html(node.select_one("div.summary blockquote")),
                    notes=inner_html(node.select_one("div.notes blockquote")),
                    end_notes=inner_html(node.select_one("div.endnotes blockquote")),
                )
            )
        return
    _read_ao3_download_chapters(soup, work)


def _read_ao3_download_chapters(soup: BeautifulSoup, work: ParsedWork) -> None:
    container = soup.select_one("#chapters")
    if container is None:
        return
    current: ParsedChapter | None = None
    for node in container.find_all(recursive=False):
        classes = _classes(node)
        heading = node.select_one("h2.heading") if "meta" in classes else None
        if heading is not None:
            current = ParsedChapter(
                html="", title=chapter_title(_text(heading), work_title=work.title)
            )
            blocks = _labelled_blocks(node)
            current.summary = blocks.get("chapter summary", "")
            current.notes = blocks.get("chapter notes", "")
            work.chapters.append(current)
        elif "userstuff" in classes:
            if current is None or current.html:
                current = ParsedChapter(html="")
                work.chapters.append(current)
            current.html = inner_html(node)
        elif "meta" in classes and current is not None:
            current.end_notes = _labelled_blocks(node).get("chapter end notes", "")
    if not work.chapters and "userstuff" in _classes(container):
        work.chapters.append(ParsedChapter(html=inner_html(container)))
    work.chapters = [chapter for chapter in work.chapters if chapter.html.strip()]


_HEADINGS = ("h1", "h2", "h3")


def read_generic_html(html: str, *, source_url: str = "", title: str = "") -> ParsedWork:
    """Any page: its title, its body, chapters split on its headings."""
    soup = soup_of(html)
    for dropped in soup(["script", "style", "nav", "header", "footer", "aside", "form"]):
        dropped.decompose()
    body = soup.find("article") or soup.find("main") or soup.body or soup
    headings = {name: body.find_all(name) for name in _HEADINGS}
    page_title = _text(soup.find("title"))
    h1s = headings["h1"]
    # Chapters split on the highest heading level used more than once.
    split = next((name for name in _HEADINGS if len(headings[name]) > 1), None)
    lone_h1 = _text(h1s[0]) if len(h1s) == 1 and split != "h1" else ""
    # `title` (a file's own title or name) is the fallback: the page's title comes first.
    work = ParsedWork(source_url=source_url, title=page_title or lone_h1 or title)
    if lone_h1 and lone_h1 == work.title:
        h1s[0].decompose()
    work.chapters = split_on_headings(body, split) if split else []
    if not work.chapters:
        work.chapters = [ParsedChapter(html=inner_html(body))]
    work.notes, work.chapters[0].html = leading_author_note(work.chapters[0].html)
    if not work.chapters[0].html.strip() and len(work.chapters) > 1:
        work.chapters.pop(0)  # the text before the first heading was only the note
    if not work.title:
        work.title = "Untitled"
    return work


def split_on_headings(body: Tag, level: str) -> list[ParsedChapter]:
    """Each `level` heading starts a chapter titled by it; text before the first is kept
    as a first, untitled chapter when it holds anything."""
    chapters: list[ParsedChapter] = []
    current = ParsedChapter(html="")
    parts: list[str] = []
    for node in list(body.children):
        if isinstance(node, Tag) and node.name == level:
            current.html = "".join(parts).strip()
            if current.html or chapters:
                chapters.append(current)
            current = ParsedChapter(html="", title=chapter_title(_text(node)))
            parts = []
        elif isinstance(node, Tag | NavigableString):
            parts.append(str(node))
    current.html = "".join(parts).strip()
    chapters.append(current)
    if len(chapters) == 1 and not chapters[0].title:
        return []
    return [chapter for chapter in chapters if chapter.html or chapter.title]


_AUTHOR_NOTE = re.compile(r"^\s*(A/N|Author'?s Notes?|Author’s Notes?)\s*[:.\-–—]\s*", re.I)


def leading_author_note(html: str) -> tuple[str, str]:
    """A first paragraph that starts "A/N:" or "Author's Note:" is the work's notes."""
    soup = BeautifulSoup(html, "html.parser")
    first = next((node for node in soup.children if isinstance(node, Tag)), None)
    if first is None or first.name != "p" or not _AUTHOR_NOTE.match(first.get_text()):
        return "", html
    note = _AUTHOR_NOTE.sub("", inner_html(first), count=1)
    first.decompose()
    return f"<p>{note}</p>", str(soup).strip()
