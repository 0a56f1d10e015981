"""Bookmark search (/bookmarks/search and GET /api/v1/bookmarks/search): every filter with its
exact results, the sidebar's counts, and what each viewer may never find or count."""

import pytest
from django.test import Client

from polis.api.actions import token_create
from polis.engagement.bookmarks import bookmark_create, external_work_find_or_create
from polis.engagement.relations import mute_add
from polis.search.actions import tag_block_add
from polis.tags.actions import tags_find_or_create
from polis.tags.models import Tag, TagType
from polis.tags.names import tag_key
from polis.tags.wrangling import tag_make_synonym, tag_set_canonical
from polis.works.actions import Concealment, work_conceal, work_set_hidden, work_unpost
from tests.api.conftest import ApiClient
from tests.works.support import parse

pytestmark = pytest.mark.django_db
PAGE_QUERIES, API_QUERIES = 10, 10

# Each work's title, and the states that keep it out of some viewer's search.
PUBLIC = ["Fluffy", "Angsty", "Masked"]  # "Masked" is anonymous: listed, creator unnamed
CONCEALED = ["Members", "Drafted", "Veiled", "Shrouded"]  # restricted, draft, unrevealed, hidden


def tag(name: str) -> Tag:
    return Tag.objects.get(key=tag_key(name))


@pytest.fixture
def world(make_user, make_work):
    chief = make_user("chief", is_staff=True, is_superuser=True)
    wrangler = make_user("wrangler", is_tag_wrangler=True)
    writer = make_user("writer")
    bob, carol = make_user("bob"), make_user("carol")
    bobby = bob.pseuds.create(name="Bobby")
    works = {
        "Fluffy": make_work(
            writer, title="Fluffy", fandoms=["The 100 (TV)"], characters=["Clarke Griffin"],
            freeforms=["Fluff"],
        ),
        "Angsty": make_work(writer, title="Angsty", freeforms=["Angst", "Clexa"]),
        "Masked": make_work(writer, title="Masked", freeforms=["Sigil"]),
        "Members": make_work(writer, title="Members", restricted=True, freeforms=["Sigil"]),
        "Drafted": make_work(writer, title="Drafted", freeforms=["Sigil"]),
        "Veiled": make_work(writer, title="Veiled", freeforms=["Sigil"]),
        "Shrouded": make_work(writer, title="Shrouded", freeforms=["Sigil"]),
    }  # fmt: skip
    for name in ["The 100 (TV)", "Original Work", "Clarke Griffin", "Fluff", "Sigil"]:
        tag_set_canonical(actor=wrangler, tag=tag(name), canonical=True)
    (clarke_lexa,) = tags_find_or_create(names=["Clarke/Lexa"], tag_type=TagType.FREEFORM)
    tag_set_canonical(actor=wrangler, tag=clarke_lexa, canonical=True)
    tag_make_synonym(actor=wrangler, tag=tag("Clexa"), of=clarke_lexa)
    marks = {}
    for title, work in works.items():
        marks[("bob", title)] = bookmark_create(
            actor=bob, work=work, notes="Loved it.", tags=["comfort"]
        )[0]
    marks[("bobby", "Angsty")] = None
    marks[("carol", "Fluffy")] = bookmark_create(
        actor=carol, work=works["Fluffy"], notes="Only mine.", private=True, tags=["secret"]
    )[0]
    marks[("carol", "Angsty")] = bookmark_create(
        actor=carol, work=works["Angsty"], notes="Tom & Jerry vibes", rec=True,
        tags=["Comfort", "reread"], pseud=None,
    )[0]  # fmt: skip
    elsewhere = external_work_find_or_create(
        actor=carol, url="https://example.org/story", title="Far Story", creator="Someone",
        fandom="Elsewhere",
    )  # fmt: skip
    marks[("carol", "Far Story")] = bookmark_create(actor=carol, external=elsewhere, rec=True)[0]
    # Bob's bookmark of Angsty is made under his second pseud.
    marks[("bob", "Angsty")].pseud = bobby
    marks[("bob", "Angsty")].save(update_fields=["pseud"])
    del marks[("bobby", "Angsty")]
    work_unpost(actor=writer, work=works["Drafted"])
    work_set_hidden(actor=chief, work=works["Shrouded"], hidden=True)
    work_conceal(
        states={
            works["Veiled"].pk: Concealment(unrevealed=True, steward_ids=frozenset({chief.pk})),
            works["Masked"].pk: Concealment(anonymous=True),
        }
    )
    return {"users": {"chief": chief, "bob": bob, "carol": carol, "writer": writer}, "marks": marks}


def label(world, bookmark_id: int) -> str:
    for (who, title), bookmark in world["marks"].items():
        if bookmark.pk == bookmark_id:
            return f"{who}:{title}"
    raise AssertionError(bookmark_id)


def client_for(world, who: str | None) -> Client:
    client = Client()
    if who is not None:
        client.force_login(world["users"][who])
    return client


def found(world, who: str | None = None, **params) -> list[str]:
    """The labels the page lists, in its order."""
    response = client_for(world, who).get("/bookmarks/search", {"commit": "Search", **params})
    assert response.status_code == 200
    items = parse(response).select("ol.bookmark.index li.bookmark")
    return [label(world, int(item.get("id").removeprefix("bookmark_"))) for item in items]


def api(world, who: str | None = None, **params):
    token = token_create(actor=world["users"][who], name="t")[1] if who else None
    return ApiClient(token).get("/bookmarks/search", **params)


# Newest first; what a guest may find.
GUEST = ["carol:Far Story", "carol:Angsty", "bob:Masked", "bob:Angsty", "bob:Fluffy"]


VIEWERS = [
    (None, GUEST),
    ("bob", ["carol:Far Story", "carol:Angsty", "bob:Members", *GUEST[2:]]),
    ("carol", ["carol:Far Story", "carol:Angsty", "carol:Fluffy", "bob:Members", *GUEST[2:]]),
    # Staff see hidden works, stewards unrevealed ones, but searches list listed works only.
    ("chief", ["carol:Far Story", "carol:Angsty", "bob:Members", *GUEST[2:]]),
    # The creator of the draft, hidden and unrevealed works does not find them either.
    ("writer", ["carol:Far Story", "carol:Angsty", "bob:Members", *GUEST[2:]]),
]


def test_only_bookmarks_of_works_the_viewer_may_see_listed_are_found(world):
    # One world for every viewer (it takes a while to build); each answer checked exactly.
    for who, expected in VIEWERS:
        assert found(world, who) == expected, who
        body = api(world, who).json()
        assert body["count"] == len(expected), who
        assert [label(world, item["id"]) for item in body["results"]] == expected, who


def test_concealed_works_tags_are_never_counted_in_the_sidebar(world):
    guest = api(world).json()["facets"]["freeform"]
    member = api(world, "bob").json()["facets"]["freeform"]

    # Only the anonymous work carries Sigil for a guest; Members adds one for a member.
    assert {i["name"]: i["count"] for i in guest} == {
        "Clarke/Lexa": 1 + 1,  # Angsty, bookmarked by bob (as Bobby) and carol, via Clexa
        "Fluff": 1,
        "Sigil": 1,
    }
    assert {i["name"]: i["count"] for i in member}["Sigil"] == 2
    assert api(world).json()["facets"]["bookmark"] == [
        {"name": "comfort", "count": 4, "id": None},
        {"name": "reread", "count": 1, "id": None},
    ]


def test_the_sidebar_counts_only_the_results(world):
    body = api(world, **{"bookmark_search[bookmarker]": "carol"}).json()

    assert body["facets"]["freeform"] == [
        {"name": "Clarke/Lexa", "count": 1, "id": tag("Clarke/Lexa").pk}
    ]
    assert body["facets"]["bookmark"] == [
        {"name": "Comfort", "count": 1, "id": None},
        {"name": "reread", "count": 1, "id": None},
    ]
    assert body["facets"]["fandom"] == [
        {"name": "Original Work", "count": 1, "id": tag("Original Work").pk}
    ]


FILTERS = [
    ({"bookmark_search[bookmarker]": "BOB"}, ["bob:Masked", "bob:Angsty", "bob:Fluffy"]),
    ({"bookmark_search[bookmarker]": "Bobby"}, ["bob:Angsty"]),
    ({"bookmark_search[bookmarker]": "nobody"}, []),
    ({"bookmark_search[rec]": "1"}, ["carol:Far Story", "carol:Angsty"]),
    ({"bookmark_search[with_notes]": "1"}, ["carol:Angsty", *GUEST[2:]]),
    ({"bookmark_search[bookmark_notes]": "tom & jerry"}, ["carol:Angsty"]),
    ({"bookmark_search[bookmark_notes]": "loved jerry"}, []),
    ({"bookmark_search[other_bookmark_tag_names]": "COMFORT"}, ["carol:Angsty", *GUEST[2:]]),
    (
        {"bookmark_search[other_bookmark_tag_names]": "comfort, reread"},
        ["carol:Angsty"],
    ),
    (
        {"bookmark_search[excluded_bookmark_tag_names]": "reread"},
        ["carol:Far Story", *GUEST[2:]],
    ),
    ({"include_bookmark_search[bookmark_tag_names][]": "reread"}, ["carol:Angsty"]),
    ({"bookmark_search[other_tag_names]": "Fluff"}, ["bob:Fluffy"]),
    # A synonym finds its canonical tag's works; an unwrangled tag its own works.
    ({"bookmark_search[other_tag_names]": "Clarke/Lexa"}, ["carol:Angsty", "bob:Angsty"]),
    ({"bookmark_search[other_tag_names]": "clexa"}, ["carol:Angsty", "bob:Angsty"]),
    ({"bookmark_search[other_tag_names]": "Angst"}, ["carol:Angsty", "bob:Angsty"]),
    ({"bookmark_search[other_tag_names]": "Fluff, Angst"}, []),
    ({"bookmark_search[other_tag_names]": "No Such Tag"}, []),
    (
        {"bookmark_search[excluded_tag_names]": "Original Work"},
        ["carol:Far Story", "bob:Fluffy"],
    ),
    ({"bookmark_search[bookmarkable_query]": "fluffy"}, ["bob:Fluffy"]),
    ({"bookmark_search[bookmarkable_query]": "far"}, ["carol:Far Story"]),
    # Creators' names find their named works only: never the anonymous "Masked".
    (
        {"bookmark_search[bookmarkable_query]": "writer"},
        ["carol:Angsty", "bob:Angsty", "bob:Fluffy"],
    ),
    (
        {"bookmark_search[bookmarker]": "bob", "bookmark_search[other_tag_names]": "Sigil"},
        ["bob:Masked"],
    ),
]


def test_each_filter_finds_exactly_its_bookmarks(world):
    for params, expected in FILTERS:
        assert found(world, **params) == expected, params
        results = api(world, **params).json()["results"]
        assert [label(world, i["id"]) for i in results] == expected, params


def test_the_sidebar_tag_ids_include_and_exclude(world):
    fluff = str(tag("Fluff").pk)
    original = str(tag("Original Work").pk)

    assert found(world, **{"include_bookmark_search[tag_ids][]": fluff}) == ["bob:Fluffy"]
    assert found(world, **{"exclude_bookmark_search[tag_ids][]": original}) == [
        "carol:Far Story",
        "bob:Fluffy",
    ]
    body = api(world, **{"include_bookmark_search[tag_ids][]": [fluff, original]}).json()
    assert body["count"] == 0


def test_a_tag_nobody_may_see_matches_nothing_and_says_so(world):
    body = api(world, **{"bookmark_search[other_tag_names]": "No Such Tag"}).json()

    assert (body["count"], body["notices"]) == (0, ["No tag is named “No Such Tag”."])
    page = parse(
        client_for(world, None).get(
            "/bookmarks/search", {"bookmark_search[other_tag_names]": "No Such Tag"}
        )
    )
    assert page.texts("#bookmark-results ul.notice li") == ["No tag is named “No Such Tag”."]


def test_results_are_paginated(world, settings):
    settings.POLIS_WORKS_PER_PAGE = 2
    client = client_for(world, None)

    pages = [
        parse(client.get("/bookmarks/search", {"commit": "Search", "page": n})) for n in (1, 2, 3)
    ]
    assert [len(p.select("li.bookmark")) for p in pages] == [2, 2, 1]
    assert pages[0].select_one("#bookmark-results-heading").text == "1 - 2 of 5 Found"
    assert pages[1].select_one("li.next a").get("href") == "?commit=Search&page=3"
    body = api(world, page=3, per_page=2).json()
    assert (body["count"], [label(world, i["id"]) for i in body["results"]]) == (
        5,
        ["bob:Fluffy"],
    )


def test_the_page_is_labelled_and_works_without_javascript(world):
    page = parse(client_for(world, None).get("/bookmarks/search", {"commit": "Search"}))

    assert len(page.select("main h1")) == 1
    assert page.select_one("main h1").text == "Search Bookmarks"
    for form in page.select("main form"):
        assert (form.get("method") or "").lower() == "get"
        for control in form.select("input") + form.select("select"):
            if control.get("type") in {"hidden", "submit"}:
                continue
            assert len(page.select(f"label[for={control.get('id')}]")) == 1, control
    fluff = page.select_one(f"#bookmark-filters label[for=include_tag_{tag('Fluff').pk}]")
    assert fluff.text == "Fluff (1)"


def test_the_empty_form_lists_nothing_until_asked(world):
    page = parse(client_for(world, None).get("/bookmarks/search"))

    assert page.select("ol.bookmark.index") == []
    assert page.select_one("form#bookmark-search") is not None


def test_the_page_and_the_api_ask_a_fixed_number_of_queries(world, django_assert_num_queries):
    client = Client()
    client.get("/bookmarks/search", {"commit": "Search"})  # warm the per-process caches
    # Session-less guest: count, page, its prefetches (tags, works' tags and creators…), the
    # sidebar's two counts and the spellings of the bookmarkers' tags; not one per bookmark.
    with django_assert_num_queries(PAGE_QUERIES):
        client.get("/bookmarks/search", {"commit": "Search"})
    with django_assert_num_queries(API_QUERIES):
        api(world)


def test_the_blocklist_and_mutes_apply_to_bookmark_search(world):
    carol = world["users"]["carol"]
    tag_block_add(actor=carol, name="Fluff")
    tag_block_add(actor=carol, name="Angst")  # unwrangled: blocks the works carrying it

    assert found(world, "carol") == ["carol:Far Story", "bob:Members", "bob:Masked"]
    mute_add(actor=carol, target=world["users"]["bob"])
    assert found(world, "carol") == ["carol:Far Story"]
    facets = api(world, "carol").json()["facets"]
    assert (facets["freeform"], facets["bookmark"]) == ([], [])
