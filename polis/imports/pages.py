"""Reading an imported URL: the page fetched through the address guard (polis.imports.fetch)
and read into a ParsedWork; an AO3-shaped work page as the whole work, with its chapter dates."""

import re
from urllib.parse import urlencode, urlsplit, urlunsplit

from polis.imports.fetch import FetchRefused, fetch
from polis.imports.parsed import ImportRefused, ParsedWork
from polis.imports.readers.epub import read_epub
from polis.imports.readers.files import read_html
from polis.imports.readers.html import chapter_index_dates

_AO3_WORK_PATH = re.compile(r"^/works/\d+/?$|^/works/\d+/chapters/\d+/?$")


def work_page_url(url: str) -> str:
    """An AO3-shaped work or chapter page as the whole work (`?view_full_work=true`)."""
    parts = urlsplit(url.strip())
    if _AO3_WORK_PATH.match(parts.path) and "view_full_work" not in parts.query:
        path = re.sub(r"/chapters/\d+/?$", "", parts.path)
        wanted = urlencode({"view_full_work": "true", "view_adult": "true"})
        query = "&".join(q for q in (parts.query, wanted) if q)
        return urlunsplit((parts.scheme, parts.netloc, path, query, ""))
    return url.strip()


def read_fetched(url: str) -> ParsedWork:
    page = fetch(work_page_url(url))
    if urlsplit(page.url).path.rstrip("/").endswith("/login"):
        # AO3 sends guests from a restricted work to its log-in page.
        raise ImportRefused(
            "That archive shows this work only to its logged-in users: download it there "
            "and import the file."
        )
    if "epub" in page.content_type or page.body[:2] == b"PK":
        return read_epub(page.body, source_url=url)
    work = read_html(page.text(), source_url=url)
    if len(work.chapters) > 1 and _AO3_WORK_PATH.match(urlsplit(page.url).path):
        _read_chapter_dates(page.url, work)
    return work


def _read_chapter_dates(work_url: str, work: ParsedWork) -> None:
    """Each chapter's date from the archive's chapter index (`/works/ID/navigate`); a page
    that cannot be had leaves the chapters dated as the work is."""
    parts = urlsplit(work_url)
    path = re.sub(r"/chapters/\d+/?$", "", parts.path).rstrip("/") + "/navigate"
    try:
        index = fetch(urlunsplit((parts.scheme, parts.netloc, path, "", "")))
    except FetchRefused:
        return
    dates = chapter_index_dates(index.text())
    if len(dates) == len(work.chapters):
        for chapter, date in zip(work.chapters, dates, strict=True):
            chapter.published_at = date
