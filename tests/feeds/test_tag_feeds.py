"""Atom feeds per canonical fandom, character and relationship: public works only, for all."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from polis.accounts.actions import pseud_create
from polis.search.actions import tag_block_add
from polis.tags.models import Tag
from polis.tags.names import tag_key
from polis.tags.wrangling import tag_add_meta, tag_make_synonym, tag_set_canonical
from polis.works.actions import WorkInput, work_update
from tests.works.support import parse

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = "/tags/The%20100%20(TV)/feed.atom"


def tag(name: str) -> Tag:
    return Tag.objects.get(key=tag_key(name))


@pytest.fixture
def wrangle(make_user):
    wrangler = make_user("wrangler", is_tag_wrangler=True)

    def canonical(*names):
        for name in names:
            tag_set_canonical(actor=wrangler, tag=tag(name), canonical=True)

    def synonym(name, of):
        tag_make_synonym(actor=wrangler, tag=tag(name), of=tag(of))

    def meta(sub, of):
        tag_add_meta(actor=wrangler, sub=tag(sub), meta=tag(of))

    return canonical, synonym, meta


@pytest.fixture
def works(make_user, make_work):
    writer = make_user("writer")
    day = datetime.date(2024, 5, 1)
    made = {
        "old": make_work(
            writer,
            title="Old Story",
            fandoms=["The 100 (TV)"],
            relationships=["Clarke Griffin/Lexa"],
            characters=["Lexa"],
            freeforms=["Fluff"],
            summary="<p>A <em>quiet</em> one.</p>",
            published_at=day,
        ),
        "new": make_work(
            writer,
            title="New Story",
            fandoms=["The 100 (TV)"],
            characters=["Clarke Griffin"],
            published_at=day + datetime.timedelta(days=2),
        ),
        "synonym": make_work(
            make_user("other"),
            title="Under a Synonym",
            fandoms=["T100"],
            relationships=["Clexa"],
            published_at=day + datetime.timedelta(days=1),
        ),
        "locked": make_work(
            writer, title="Locked", fandoms=["The 100 (TV)"], restricted=True, published_at=day
        ),
        "draft": make_work(writer, title="Draft", fandoms=["The 100 (TV)"], post=False),
        "elsewhere": make_work(writer, title="Elsewhere", fandoms=["Star Trek"]),
    }
    return made


@pytest.fixture
def wrangled(works, make_work, wrangle):
    canonical, synonym, meta = wrangle
    make_work(title="Franchise Note", fandoms=["The 100 - All Media Types"], post=False)
    canonical(
        "The 100 (TV)",
        "The 100 - All Media Types",
        "Star Trek",
        "Clarke Griffin/Lexa",
        "Lexa",
        "Clarke Griffin",
        "Fluff",
    )
    synonym("T100", of="The 100 (TV)")
    synonym("Clexa", of="Clarke Griffin/Lexa")
    meta("The 100 (TV)", of="The 100 - All Media Types")
    return works


def feed(response) -> ET.Element:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)


def entries(root: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]


def test_a_fandom_feed_lists_its_latest_public_works(client, wrangled):
    root = feed(client.get(FEED))

    assert root.findtext(f"{ATOM}title") == "Polis: works in The 100 (TV)"
    assert root.findtext(f"{ATOM}subtitle") == "The latest works in The 100 (TV)."
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {
        "alternate": "http://testserver/tags/The%20100%20(TV)/works",
        "self": "http://testserver/tags/The%20100%20(TV)/feed.atom",
    }
    # Newest first; the synonym's work is the canonical tag's; never drafts or restricted.
    assert entries(root) == ["New Story", "Under a Synonym", "Old Story"]


def test_an_entry_says_what_the_work_is(client, wrangled):
    work = wrangled["old"]
    entry = feed(client.get(FEED)).findall(f"{ATOM}entry")[-1]

    assert entry.findtext(f"{ATOM}id") == f"http://testserver/works/{work.pk}"
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver/works/{work.pk}"
    assert entry.findtext(f"{ATOM}published") == "2024-05-01T00:00:00+00:00"
    assert entry.findtext(f"{ATOM}updated") == work.revised_at.isoformat()
    authors = [
        (author.findtext(f"{ATOM}name"), author.findtext(f"{ATOM}uri"))
        for author in entry.findall(f"{ATOM}author")
    ]
    assert authors == [("writer", "/users/writer/pseuds/writer")]
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == [
        "The 100 (TV)",
        "Clarke Griffin/Lexa",
        "Lexa",
        "Fluff",
    ]
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    text = parse(summary.text)
    assert text.select("p")[0].text == "by writer"
    assert text.select_one("em").text == "quiet"
    assert "Relationships: Clarke Griffin/Lexa" in text.texts("li")


def test_every_creator_is_an_author_by_pseud(client, make_user, make_work, wrangled):
    ana = make_user("ana")
    pen = pseud_create(actor=ana, name="Pen Name")
    work = make_work(ana, title="Shared", fandoms=["The 100 (TV)"])
    work_update(
        actor=ana,
        work=work,
        data=WorkInput(
            title="Shared",
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=["The 100 (TV)"],
        ),
        pseuds=[ana.pseuds.get(is_default=True), pen],
    )

    entry = feed(client.get(FEED)).findall(f"{ATOM}entry")[0]

    assert entry.findtext(f"{ATOM}title") == "Shared"
    assert [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")] == [
        "ana",
        "Pen Name (ana)",
    ]


@pytest.mark.parametrize("who", ["anonymous", "reader", "creator", "admin"])
def test_the_feed_is_the_same_whoever_asks(who, make_user, wrangled):
    client = Client()
    if who == "reader":
        reader = make_user("reader")
        tag_block_add(actor=reader, name="Fluff")  # a blocklist is personal; feeds are not
        client.force_login(reader)
    elif who == "creator":
        client.force_login(wrangled["locked"].creatorships.get().pseud.user)
    elif who == "admin":
        client.force_login(make_user("root", is_staff=True, is_superuser=True))

    assert entries(feed(client.get(FEED))) == ["New Story", "Under a Synonym", "Old Story"]


def test_a_meta_tag_feed_includes_its_sub_tags_works(client, wrangled):
    root = feed(client.get("/tags/The 100 - All Media Types/feed.atom"))

    assert entries(root) == ["New Story", "Under a Synonym", "Old Story"]


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        ("Clarke Griffin*s*Lexa", ["Under a Synonym", "Old Story"]),
        ("Clarke Griffin", ["New Story"]),
        ("Star Trek", ["Elsewhere"]),
    ],
)
def test_character_and_relationship_feeds(client, wrangled, url_name, expected):
    assert entries(feed(client.get(f"/tags/{url_name}/feed.atom"))) == expected


def test_a_feed_holds_the_latest_25(client, make_user, make_work, wrangled):
    writer = make_user("prolific")
    for n in range(26):
        make_work(
            writer,
            title=f"Many {n:02}",
            fandoms=["Star Trek"],
            published_at=datetime.date(2023, 1, 1) + datetime.timedelta(days=n),
        )

    titles = entries(feed(client.get("/tags/Star Trek/feed.atom")))

    assert titles == ["Elsewhere"] + [f"Many {n:02}" for n in range(25, 1, -1)]


@pytest.mark.parametrize(
    ("url_name", "location"),
    [
        ("T100", "/tags/The%20100%20(TV)/feed.atom"),
        ("clexa", "/tags/Clarke%20Griffin*s*Lexa/feed.atom"),
    ],
)
def test_a_synonym_moves_permanently_to_its_canonical_feed(client, wrangled, url_name, location):
    response = client.get(f"/tags/{url_name}/feed.atom")

    assert response.status_code == 301
    assert response["Location"] == location


@pytest.mark.parametrize(
    "url_name",
    [
        "No Such Tag",
        "Fluff",  # canonical, but an additional tag
        "General Audiences",
        "No Archive Warnings Apply",
        "F*s*F",
        "Unwrangled Fandom",
        "Slowburn",  # a synonym of an additional tag
    ],
)
def test_only_canonical_fandoms_characters_and_relationships_have_feeds(
    client, wrangled, make_work, wrangle, url_name
):
    canonical, synonym, meta = wrangle
    make_work(fandoms=["Unwrangled Fandom"], freeforms=["Slowburn"], categories=["F/F"])
    synonym("Slowburn", of="Fluff")

    assert client.get(f"/tags/{url_name}/feed.atom").status_code == 404


@pytest.mark.both_search_engines
def test_tag_pages_link_their_feed(client, wrangled, make_work):
    make_work(fandoms=["Unwrangled Fandom"])

    def alternate(path):
        return [
            (link.get("type"), link.get("href"), link.get("title"))
            for link in parse(client.get(path)).select("head link[rel=alternate]")
        ]

    assert alternate("/tags/The 100 (TV)/works") == [
        ("application/atom+xml", "/tags/The%20100%20(TV)/feed.atom", "The 100 (TV) - Works")
    ]
    assert alternate("/tags/Clarke Griffin*s*Lexa/works") == [
        (
            "application/atom+xml",
            "/tags/Clarke%20Griffin*s*Lexa/feed.atom",
            "Clarke Griffin/Lexa - Works",
        )
    ]
    assert alternate("/tags/Fluff/works") == []
    assert alternate("/tags/Unwrangled Fandom/works") == []
    assert alternate("/works") == []
