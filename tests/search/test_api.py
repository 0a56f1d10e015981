"""The API's search (`work_search[...]` like the web pages), saved searches and blocklist."""

import pytest

from polis.accounts.models import User
from polis.api.actions import token_create
from polis.engagement.relations import mute_add
from polis.search.actions import saved_search_create, tag_block_add
from polis.search.models import SavedSearch, TagBlock
from polis.tags.wrangling import tag_add_meta
from tests.api.conftest import ApiClient
from tests.search.conftest import tag, words

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def api_as():
    def make(user=None):
        return ApiClient(token_create(actor=user, name="tests")[1] if user else None)

    return make


@pytest.fixture
def works(make_user, make_work, canonical, synonym):
    writer = make_user("writer")
    made = {
        "harbour": make_work(
            writer, title="Harbour", freeforms=["Fluff"], text=words(800, "lantern")
        ),
        "storm": make_work(writer, title="Storm", freeforms=["Angst"], text=words(3000, "wave")),
        "locked": make_work(
            writer, title="Locked", freeforms=["sadfic"], restricted=True, text=words(10, "wave")
        ),
        "draft": make_work(writer, title="Draft", freeforms=["Fluff"], post=False),
    }
    canonical("Fluff", "Angst")
    synonym("sadfic", of="Angst")
    return made


def titles(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [work["title"] for work in response.json()["results"]]


@pytest.mark.both_search_engines
def test_search_takes_the_web_pages_parameters(works):
    response = ApiClient().get(
        "/works/search", **{"work_search[word_count]": ">1000", "work_search[query]": "wave"}
    )

    assert titles(response) == ["Storm"]
    assert response.json()["count"] == 1
    assert response.json()["notices"] == []


def test_search_shows_restricted_works_to_token_holders_only(works, alice, api_as):
    params = {"work_search[query]": "wave", "work_search[sort_column]": "title_to_sort_on"}

    assert titles(ApiClient().get("/works/search", **params)) == ["Storm"]
    member = api_as(alice).get("/works/search", **params)
    assert titles(member) == ["Locked", "Storm"]
    assert member.json()["count"] == 2


def test_search_never_lists_drafts(works, alice, api_as):
    assert titles(api_as(alice).get("/works/search", **{"work_search[title]": "draft"})) == []


@pytest.mark.both_search_engines
def test_search_by_tag_names_resolves_synonyms_and_notes_unknown_names(works, alice, api_as):
    response = api_as(alice).get(
        "/works/search", **{"work_search[other_tag_names]": "sadfic, Nope"}
    )

    assert titles(response) == ["Locked", "Storm"]
    assert response.json()["notices"] == ["We couldn't find the tag “Nope”, so it was ignored."]


@pytest.mark.both_search_engines
def test_search_pages(works):
    first = ApiClient().get("/works/search", per_page=1, **{"work_search[complete]": ""})
    second = ApiClient().get("/works/search", per_page=1, page=2, **{"work_search[complete]": ""})

    assert (first.json()["count"], titles(first), titles(second)) == (2, ["Storm"], ["Harbour"])


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"work_search[word_count]": "5000-10"}, "Word count: the range 5000-10 runs backwards."),
        ({"work_search[query]": "word_count:5000-10"}, None),
    ],
)
def test_search_refuses_what_it_cannot_answer_with_400(works, params, detail):
    response = ApiClient().get("/works/search", **params)

    assert response.status_code == 400
    if detail is None:  # the query language names its parameter
        detail = "Search: “word_count:” the range 5000-10 runs backwards."
        field = "work_search[query]"
    else:
        field = None
    assert response.json() == {"detail": detail, "errors": [{"field": field, "message": detail}]}


def test_tag_ids_are_typed_integers(works):
    """The schema types them (a 422 like every ill-typed parameter of the API)."""
    response = ApiClient().get("/works/search", **{"include_work_search[fandom_ids][]": "x"})

    assert response.status_code == 422


@pytest.mark.both_search_engines
def test_the_works_list_filters_with_the_same_parameters(works):
    response = ApiClient().get("/works", **{"include_work_search[freeform_ids][]": tag("Fluff").pk})
    within_tag = ApiClient().get("/works", tag="Angst", **{"work_search[query]": "wave"})

    assert titles(response) == ["Harbour"]
    assert titles(within_tag) == ["Storm"]


def test_the_callers_blocklist_applies_to_api_search(works, alice, api_as):
    tag_block_add(actor=alice, name="sadfic")

    assert titles(
        api_as(alice).get(
            "/works/search",
            **{
                "work_search[query]": "wave OR lantern",
                "work_search[sort_column]": "title_to_sort_on",
            },
        )
    ) == ["Harbour"]


@pytest.mark.parametrize(
    ("path", "params", "listed", "left"),
    [
        ("/works", {}, ["Harbour", "Locked", "Storm"], ["Harbour"]),
        ("/works", {"tag": "Angst"}, ["Locked", "Storm"], []),
        ("/tags/Angst/works", {}, ["Locked", "Storm"], []),
        ("/users/writer/works", {}, ["Harbour", "Locked", "Storm"], ["Harbour"]),
    ],
)
def test_the_callers_blocklist_applies_to_every_api_listing(
    works, alice, api_as, path, params, listed, left
):
    """Blocking the synonym "sadfic" blocks its canonical tag Angst, so Storm goes too."""
    params = {**params, "work_search[sort_column]": "title_to_sort_on"}
    before = api_as(alice).get(path, **params)
    tag_block_add(actor=alice, name="sadfic")
    after = api_as(alice).get(path, **params)

    assert titles(before) == listed
    assert (titles(after), after.json()["count"]) == (left, len(left))


def test_muted_creators_leave_every_api_listing(works, alice, api_as, make_user, make_work):
    other = make_user("other")
    make_work(other, title="Other", freeforms=["Angst"])
    mute_add(actor=alice, target=User.objects.get(username="writer"))

    for path in ["/works", "/tags/Angst/works", "/works/search?work_search[query]=wave"]:
        path, _, query = path.partition("?")
        params = dict([query.split("=")]) if query else {}
        response = api_as(alice).get(path, **params)
        assert titles(response) == ([] if query else ["Other"]), path
    assert titles(api_as(alice).get("/users/writer/works")) == []


def test_a_tag_listing_is_the_tag_pages_listing(works, alice, api_as, wrangler):
    """A canonical tag lists its synonyms' and sub tags' works; a synonym its canonical's."""
    tag_add_meta(actor=wrangler, sub=tag("Fluff"), meta=tag("Angst"))
    expected = ["Harbour", "Locked", "Storm"]
    params = {"work_search[sort_column]": "title_to_sort_on"}

    assert titles(api_as(alice).get("/tags/Angst/works", **params)) == expected
    assert titles(api_as(alice).get("/tags/sadfic/works", **params)) == expected
    assert titles(api_as(alice).get("/works", tag="sadfic", **params)) == expected


# --- saved searches --------------------------------------------------------------------------


def test_saved_searches_round_trip(alice, api_as, works):
    api = api_as(alice)

    created = api.post("/saved_searches", {"name": "Fluff", "query": "/tags/Fluff/works?page=2"})
    listed = api.get("/saved_searches")

    assert created.status_code == 201
    body = created.json()
    assert (body["name"], body["query"], body["url"]) == (
        "Fluff",
        "/tags/Fluff/works",
        "http://testserver/tags/Fluff/works",
    )
    assert [item["id"] for item in listed.json()] == [body["id"]]
    assert api.delete(f"/saved_searches/{body['id']}").status_code == 204
    assert api.get("/saved_searches").json() == []


def test_saved_searches_are_private(alice, make_user, api_as, works):
    saved = saved_search_create(actor=alice, name="Mine", query="/works")
    bob = api_as(make_user("bob"))

    assert bob.get("/saved_searches").json() == []
    assert bob.delete(f"/saved_searches/{saved.pk}").status_code == 404
    assert ApiClient().get("/saved_searches").status_code == 401
    assert ApiClient().delete(f"/saved_searches/{saved.pk}").status_code == 401
    assert SavedSearch.objects.count() == 1


OFF_SITE = "Only this archive's work listings can be saved."


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"name": "x", "query": "https://evil.example/"}, [("query", OFF_SITE)]),
        ({"name": " ", "query": "/works"}, [("name", "Give the search a name.")]),
    ],
)
def test_refused_saved_searches_name_the_field(alice, api_as, works, body, errors):
    response = api_as(alice).post("/saved_searches", body)

    assert response.status_code == 400
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == errors
    assert SavedSearch.objects.count() == 0


# --- blocklist ----------------------------------------------------------------------------------


@pytest.mark.both_search_engines
def test_blocklist_round_trip(alice, api_as, works):
    api = api_as(alice)

    added = api.post("/blocklist", {"tag": "sadfic"})

    assert added.status_code == 201
    assert added.json() == {
        "tag": "sadfic",
        "type": "freeform",
        "canonical": False,
        "synonym_of": "Angst",
        "url": "http://testserver/tags/sadfic",
    }
    assert [item["tag"] for item in api.get("/blocklist").json()] == ["sadfic"]
    assert titles(api.get("/works/search", **{"work_search[query]": "wave"})) == []
    assert api.delete("/blocklist/sadfic").status_code == 204
    assert api.get("/blocklist").json() == []
    assert api.delete("/blocklist/sadfic").status_code == 404


def test_blocklist_refuses_unknown_tags(alice, api_as, works):
    response = api_as(alice).post("/blocklist", {"tag": "Nope"})

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "tag", "message": "We couldn't find the tag “Nope”."}
    ]
    assert TagBlock.objects.count() == 0


def test_blocklist_needs_a_token_to_change(alice, works):
    assert ApiClient().get("/blocklist").status_code == 401
    assert ApiClient().post("/blocklist", {"tag": "Angst"}).status_code == 401
    assert TagBlock.objects.count() == 0
