"""Tags used only on works a viewer may not see are not shown to that viewer anywhere.

Canonical tags, synonyms and the fixed ratings, warnings and categories are the archive's
public vocabulary; any other tag is shown only when a work the viewer may see carries it.
Wranglers see every tag (they wrangle those nobody else sees).
"""

import pytest
from django.test import Client

from polis.api.actions import token_create
from polis.tags.models import TagType
from tests.api.conftest import ApiClient
from tests.works.support import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged(make_user, make_work, canonical):
    """A draft, a restricted work and a public one, each with its own unwrangled freeform."""
    writer = make_user("writer")
    make_work(writer, title="Draft", post=False, freeforms=["Secret Draft"])
    make_work(writer, title="Members", restricted=True, freeforms=["Secret Members"])
    make_work(writer, title="Public", freeforms=["Secret Public"])
    canonical("Secret Canonical")
    return writer


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_for(user=None) -> ApiClient:
    return ApiClient(token_create(actor=user, name="tests")[1] if user is not None else None)


def autocomplete(client: Client, term: str) -> list[str]:
    return [item["name"] for item in client.get("/autocomplete/tags", {"term": term}).json()]


def viewers(make_user, wrangler, writer):
    return {
        "anonymous": None,
        "user": make_user("reader"),
        "creator": writer,
        "wrangler": wrangler,
    }


# Who sees which of the four freeforms (the unused canonical tag is public vocabulary).
SHOWN = {
    "anonymous": ["Secret Canonical", "Secret Public"],
    "user": ["Secret Canonical", "Secret Members", "Secret Public"],
    # A draft is not shown to its own creator in any listing either (visible_works).
    "creator": ["Secret Canonical", "Secret Members", "Secret Public"],
    "wrangler": ["Secret Canonical", "Secret Draft", "Secret Members", "Secret Public"],
}
ROLES = list(SHOWN)


@pytest.mark.parametrize("role", ROLES)
def test_autocomplete_offers_only_tags_the_viewer_may_see(tagged, make_user, wrangler, role):
    user = viewers(make_user, wrangler, tagged)[role]
    names = sorted(autocomplete(client_for(user), "secret"))

    assert names == SHOWN[role]


@pytest.mark.parametrize("role", ROLES)
def test_the_tag_search_page_lists_only_tags_the_viewer_may_see(tagged, make_user, wrangler, role):
    user = viewers(make_user, wrangler, tagged)[role]
    page = parse(client_for(user).get("/tags/search", {"name": "secret", "type": "freeform"}))

    assert sorted(page.texts("ol.tag.index li a.tag")) == SHOWN[role]
    assert page.select_one("h3#tag-results-heading").text == f"{len(SHOWN[role])} Found"


@pytest.mark.parametrize("role", ROLES)
def test_the_api_tag_search_counts_only_tags_the_viewer_may_see(tagged, make_user, wrangler, role):
    user = viewers(make_user, wrangler, tagged)[role]
    body = api_for(user).get("/tags", name="secret", type="freeform").json()

    assert body["count"] == len(SHOWN[role])
    assert sorted(tag["name"] for tag in body["results"]) == SHOWN[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("suffix", ["", "/works"])
def test_a_hidden_tag_page_answers_exactly_like_an_unknown_tag(
    tagged, make_user, wrangler, role, suffix
):
    user = viewers(make_user, wrangler, tagged)[role]
    client = client_for(user)
    unknown = client.get(f"/tags/No Such Tag{suffix}")

    for name in ["Secret Draft", "Secret Members", "Secret Public", "Secret Canonical"]:
        response = client.get(f"/tags/{name}{suffix}")
        if name in SHOWN[role]:
            assert response.status_code == 200, name
        else:
            assert (response.status_code, response.content) == (404, unknown.content), name


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("suffix", ["", "/works"])
def test_a_hidden_tag_is_404_in_the_api_like_an_unknown_tag(
    tagged, make_user, wrangler, role, suffix
):
    user = viewers(make_user, wrangler, tagged)[role]
    api = api_for(user)
    unknown = api.get(f"/tags/No Such Tag{suffix}")

    for name in ["Secret Draft", "Secret Members", "Secret Public"]:
        response = api.get(f"/tags/{name}{suffix}")
        if name in SHOWN[role]:
            assert response.status_code == 200, name
        else:
            assert (response.status_code, response.json()) == (404, unknown.json()), name


def test_filtering_works_by_a_hidden_tag_is_like_an_unknown_tag(tagged):
    api = api_for()

    assert api.get("/works", tag="Secret Members").json() == api.get("/works", tag="Nope").json()


def test_fixed_tags_are_public_even_when_no_work_uses_them(client):
    assert autocomplete(client, "underage") == ["Underage Sex"]
    assert client.get("/tags/Underage Sex").status_code == 200


def test_a_tag_becomes_visible_once_a_visible_work_carries_it(make_user, make_work, client):
    writer = make_user("writer")
    make_work(writer, title="Draft", post=False, freeforms=["Soon"])
    assert autocomplete(client, "soon") == []

    make_work(writer, title="Posted", freeforms=["Soon"])

    assert autocomplete(client, "soon") == ["Soon"]


def test_a_fandoms_children_leave_out_hidden_tags(make_user, make_work, wrangler, canonical):
    from polis.tags.selectors import tag_named
    from polis.tags.wrangling import tag_add_parent

    fandom = canonical("Fandom X", TagType.FANDOM)
    make_work(title="Draft", post=False, fandoms=["Fandom X"], characters=["Secret Person"])
    tag_add_parent(actor=wrangler, child=tag_named("Secret Person"), parent=fandom)

    guest = parse(client_for().get("/tags/Fandom X"))
    wrangling = parse(client_for(wrangler).get("/tags/Fandom X"))

    assert guest.texts("section.child a.tag") == []
    assert wrangling.texts("section.child a.tag") == ["Secret Person"]
