"""Finding tags and wrangling bins through the API, as /tags/search and /tags/unwrangled."""

import pytest

from polis.tags.models import Tag, TagParent
from polis.tags.wrangling import tag_set_canonical
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def wrangler(make_user):
    return make_user("wrangler", is_tag_wrangler=True)


@pytest.fixture
def bin_works(make_work, wrangler):
    """The 100 (TV) made canonical; three unwrangled characters used on its works."""
    make_work(fandoms=["The 100 (TV)"], characters=["Clarke", "Lexa"])
    make_work(fandoms=["The 100 (TV)"], characters=["Clarke", "Raven"])
    make_work(fandoms=["Other Show"], characters=["Octavia"])
    tag_set_canonical(actor=wrangler, tag=Tag.objects.get(name="The 100 (TV)"), canonical=True)


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [tag["name"] for tag in response.json()["results"]]


def test_tag_search_lists_canonical_tags_first(make_work, wrangler):
    make_work(freeforms=["Slow Burn", "slow burn but faster", "Burnout"])
    tag_set_canonical(actor=wrangler, tag=Tag.objects.get(name="Burnout"), canonical=True)

    response = ApiClient().get("/tags", name="burn")

    assert names(response) == ["Burnout", "Slow Burn", "slow burn but faster"]
    assert response.json()["count"] == 3
    assert names(ApiClient().get("/tags", name="burn", type="fandom")) == []


def test_tag_search_needs_a_name():
    response = ApiClient().get("/tags")

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["name"]


def test_a_bin_lists_a_fandoms_unwrangled_tags_busiest_first(bin_works, wrangler, api_as):
    api = api_as(wrangler)

    assert names(api.get("/tags/unwrangled", type="character", fandom="The 100 (TV)")) == [
        "Clarke",
        "Lexa",
        "Raven",
    ]
    assert names(api.get("/tags/unwrangled", type="character")) == [
        "Clarke",
        "Lexa",
        "Octavia",
        "Raven",
    ]


def test_a_bin_refuses_a_fandom_that_is_not_canonical(bin_works, wrangler, api_as):
    response = api_as(wrangler).get("/tags/unwrangled", type="character", fandom="Other Show")

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "fandom", "message": "Name a canonical fandom."}]


@pytest.mark.parametrize("who", ["guest", "reader"])
def test_only_wranglers_see_bins_or_wrangle(bin_works, make_user, api_as, who):
    api = ApiClient() if who == "guest" else api_as(make_user("reader"))

    seen = api.get("/tags/unwrangled", type="character")
    done = api.post("/tags/unwrangled", {"tags": ["Clarke"], "action": "canonical"})

    assert (seen.status_code, done.status_code) == ((401, 401) if who == "guest" else (403, 403))
    assert Tag.objects.get(name="Clarke").canonical is False


def test_bulk_actions_make_canonical_synonyms_and_children(bin_works, wrangler, api_as):
    api = api_as(wrangler)

    made = api.post("/tags/unwrangled", {"tags": ["clarke", "Lexa"], "action": "canonical"})
    synonym = api.post(
        "/tags/unwrangled", {"tags": ["Raven"], "action": "synonym", "target": "Clarke"}
    )
    parent = api.post(
        "/tags/unwrangled",
        {"tags": ["Clarke", "Lexa"], "action": "parent", "target": "The 100 (TV)"},
    )

    assert [(t["name"], t["canonical"]) for t in made.json()["wrangled"]] == [
        ("Clarke", True),
        ("Lexa", True),
    ]
    assert synonym.json()["wrangled"][0]["synonym_of"] == "Clarke"
    assert parent.status_code == 200
    assert sorted(
        TagParent.objects.filter(parent__name="The 100 (TV)").values_list("child__name", flat=True)
    ) == ["Clarke", "Lexa"]
    assert names(api.get("/tags/unwrangled", type="character", fandom="The 100 (TV)")) == []


def test_one_refusal_changes_nothing_and_names_every_problem(bin_works, wrangler, api_as):
    api = api_as(wrangler)
    api.post("/tags/unwrangled", {"tags": ["Lexa"], "action": "canonical"})

    unknown = api.post("/tags/unwrangled", {"tags": ["Clarke", "Nobody"], "action": "canonical"})
    no_target = api.post("/tags/unwrangled", {"tags": ["Clarke"], "action": "synonym"})
    refused = api.post(
        "/tags/unwrangled", {"tags": ["Clarke", "Raven"], "action": "synonym", "target": "Octavia"}
    )

    assert (unknown.status_code, unknown.json()["errors"]) == (
        400,
        [{"field": "tags[1]", "message": "There is no tag named “Nobody”."}],
    )
    assert (no_target.status_code, no_target.json()["errors"][0]["field"]) == (400, "target")
    assert refused.status_code == 400
    assert [e["field"] for e in refused.json()["errors"]] == ["tags", "tags"]
    assert refused.json()["detail"] == "The change was refused; nothing was changed."
    assert list(
        Tag.objects.filter(name__in=["Clarke", "Raven"]).values_list("merger", flat=True)
    ) == [
        None,
        None,
    ]
