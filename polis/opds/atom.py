"""A small Atom writer for OPDS 1.2 catalog feeds and the OpenSearch description.

Every text and attribute goes through `xml_safe`, so a title holding a control character
still gives a well-formed feed; ElementTree does the escaping.
"""

import datetime
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from polis.downloads.preface import xml_safe

ATOM = "http://www.w3.org/2005/Atom"
OPDS = "http://opds-spec.org/2010/catalog"
DC = "http://purl.org/dc/terms/"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"

NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH_TYPE = "application/opensearchdescription+xml"

ACQUIRE = "http://opds-spec.org/acquisition"
SORT_NEW = "http://opds-spec.org/sort/new"
SHELF = "http://opds-spec.org/shelf"


@dataclass(frozen=True)
class Link:
    href: str
    rel: str
    type: str
    title: str = ""


@dataclass(frozen=True)
class Author:
    name: str
    uri: str = ""


@dataclass
class Entry:
    id: str
    title: str
    updated: datetime.datetime
    links: list[Link]
    authors: list[Author] = field(default_factory=list)
    # Plain text; `content_html` is HTML already sanitized on input.
    summary: str = ""
    content_html: str = ""
    content_text: str = ""
    language: str = ""
    issued: datetime.date | None = None
    published: datetime.datetime | None = None
    categories: list[str] = field(default_factory=list)


@dataclass
class Feed:
    id: str
    title: str
    updated: datetime.datetime
    links: list[Link]
    entries: list[Entry]
    author: Author
    subtitle: str = ""
    # OpenSearch paging figures, for paged acquisition feeds.
    total: int | None = None
    per_page: int | None = None
    start_index: int | None = None


def _time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: ET.Element, tag: str, text: str = "", **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_safe(v) for k, v in attributes.items() if v})
    if text:
        element.text = xml_safe(text)
    return element


def _link(parent: ET.Element, link: Link) -> None:
    _sub(parent, "link", rel=link.rel, href=link.href, type=link.type, title=link.title)


def _author(parent: ET.Element, author: Author) -> None:
    element = _sub(parent, "author")
    _sub(element, "name", author.name)
    if author.uri:
        _sub(element, "uri", author.uri)


def _entry(parent: ET.Element, entry: Entry) -> None:
    element = _sub(parent, "entry")
    _sub(element, "title", entry.title)
    _sub(element, "id", entry.id)
    _sub(element, "updated", _time(entry.updated))
    if entry.published:
        _sub(element, "published", _time(entry.published))
    for author in entry.authors:
        _author(element, author)
    if entry.language:
        _sub(element, "dc:language", entry.language)
    if entry.issued:
        _sub(element, "dc:issued", entry.issued.isoformat())
    for name in entry.categories:
        _sub(element, "category", term=name, label=name)
    if entry.summary:
        _sub(element, "summary", entry.summary, type="text")
    if entry.content_html:
        _sub(element, "content", entry.content_html, type="html")
    elif entry.content_text:
        _sub(element, "content", entry.content_text, type="text")
    for link in entry.links:
        _link(element, link)


def _document(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def render_feed(feed: Feed) -> bytes:
    """The feed as UTF-8 XML."""
    root = ET.Element(
        "feed",
        {
            "xmlns": ATOM,
            "xmlns:dc": DC,
            "xmlns:opds": OPDS,
            "xmlns:opensearch": OPENSEARCH,
        },
    )
    _sub(root, "id", feed.id)
    _sub(root, "title", feed.title)
    if feed.subtitle:
        _sub(root, "subtitle", feed.subtitle)
    _sub(root, "updated", _time(feed.updated))
    _author(root, feed.author)
    for link in feed.links:
        _link(root, link)
    if feed.total is not None:
        _sub(root, "opensearch:totalResults", str(feed.total))
        _sub(root, "opensearch:itemsPerPage", str(feed.per_page))
        _sub(root, "opensearch:startIndex", str(feed.start_index))
    for entry in feed.entries:
        _entry(root, entry)
    return _document(root)


def render_opensearch(*, short_name: str, description: str, template: str) -> bytes:
    """The OpenSearch description: where and how to search the catalog."""
    root = ET.Element("OpenSearchDescription", {"xmlns": OPENSEARCH})
    _sub(root, "ShortName", short_name[:16])
    _sub(root, "Description", description)
    _sub(root, "InputEncoding", "UTF-8")
    _sub(root, "OutputEncoding", "UTF-8")
    _sub(root, "Url", type=ACQUISITION, template=template)
    return _document(root)
