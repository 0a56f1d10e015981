"""Reading works through the API: the same visibility as the pages, restricted works 404."""

import pytest

from polis.tags.models import Tag
from polis.tags.wrangling import tag_make_synonym, tag_set_canonical
from polis.works.models import Work
from tests.api.conftest import ApiClient
from tests.search.support import listing_queries, warm_search

pytestmark = pytest.mark.django_db


def test_work_detail_shows_chapters_tags_creators_and_stats(alice, make_work, api_as):
    work = make_work(alice, title="Detail", chapters=2, relationships=["A & B"])

    response = ApiClient().get(f"/works/{work.pk}")

    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Detail"
    assert data["url"] == f"http://testserver/works/{work.pk}"
    assert data["tags"]["relationships"] == ["A & B"]
    assert data["stats"]["chapters"] == "2/?"
    chapters = data["chapters"]
    assert [(c["position"], c["title"], c["draft"]) for c in chapters] == [
        (1, "", False),
        (2, "Part 2", False),
    ]
    assert chapters[1]["url"] == f"http://testserver/works/{work.pk}/chapters/{chapters[1]['id']}"


def test_chapter_detail_has_its_content(alice, make_work):
    work = make_work(alice, text="<p>Hello there.</p>")
    chapter = work.chapters.get()

    response = ApiClient().get(f"/works/{work.pk}/chapters/{chapter.pk}")

    assert response.status_code == 200
    assert response.json()["content"] == "<p>Hello there.</p>"
    assert response.json()["work_id"] == work.pk


def test_chapter_of_another_work_is_404(alice, make_work):
    first, second = make_work(alice), make_work(alice)

    response = ApiClient().get(f"/works/{first.pk}/chapters/{second.chapters.get().pk}")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 404), ("other user", 404), ("creator", 200)]
)
def test_a_draft_is_seen_only_by_its_creator(who, status, alice, bob, make_work, api_as):
    draft = make_work(alice, post=False)
    caller = {"anonymous": ApiClient(), "other user": api_as(bob), "creator": api_as(alice)}[who]

    response = caller.get(f"/works/{draft.pk}")

    assert response.status_code == status
    if status == 200:
        assert response.json()["draft"] is True
    else:
        assert response.json() == {"detail": "Not found.", "errors": []}


@pytest.mark.both_search_engines
def test_drafts_are_never_listed(alice, make_work, api_as):
    make_work(alice, post=False)

    assert api_as(alice).get("/works").json()["count"] == 0


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 404), ("other user", 200), ("creator", 200)]
)
@pytest.mark.both_search_engines
def test_a_restricted_work_needs_an_account(who, status, alice, bob, make_work, api_as):
    work = make_work(alice, restricted=True)
    caller = {"anonymous": ApiClient(), "other user": api_as(bob), "creator": api_as(alice)}[who]

    assert caller.get(f"/works/{work.pk}").status_code == status
    assert caller.get("/works").json()["count"] == (0 if status == 404 else 1)


def test_the_browser_session_can_read(alice, make_work, client):
    draft = make_work(alice, post=False)
    client.force_login(alice)

    response = client.get(f"/api/v1/works/{draft.pk}")

    assert response.status_code == 200


def test_a_wrong_token_is_401_even_for_public_reads(alice, make_work):
    work = make_work(alice)

    response = ApiClient("wrong").get(f"/works/{work.pk}")

    assert response.status_code == 401


@pytest.mark.both_search_engines
def test_list_is_paginated_newest_first(alice, make_work):
    works = [make_work(alice, title=f"Work {n}") for n in range(3)]

    first = ApiClient().get("/works", per_page=2).json()
    second = ApiClient().get("/works", per_page=2, page=2).json()
    past_end = ApiClient().get("/works", per_page=2, page=9).json()

    assert (first["count"], first["page"], first["per_page"]) == (3, 1, 2)
    assert [w["id"] for w in first["results"] + second["results"]] == [
        works[2].pk,
        works[1].pk,
        works[0].pk,
    ]
    assert past_end["results"] == []


@pytest.mark.both_search_engines
def test_list_defaults_to_20_per_page(alice, make_work):
    assert ApiClient().get("/works").json()["per_page"] == 20


@pytest.mark.parametrize(
    ("params", "field"), [({"per_page": 101}, "per_page"), ({"page": 0}, "page")]
)
def test_list_refuses_bad_page_parameters(params, field):
    response = ApiClient().get("/works", **params)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.both_search_engines
def test_list_filters_by_tag_with_its_synonyms(alice, make_user, make_work):
    canonical_work = make_work(alice, freeforms=["Slow Burn"])
    synonym_work = make_work(alice, freeforms=["slowburn"])
    make_work(alice, freeforms=["Fluff"])
    wrangler = make_user("wrangler", is_tag_wrangler=True)
    canonical = tag_set_canonical(
        actor=wrangler, tag=Tag.objects.get(name="Slow Burn"), canonical=True
    )
    tag_make_synonym(actor=wrangler, tag=Tag.objects.get(name="slowburn"), of=canonical)

    for name in ["Slow Burn", "slowburn"]:
        data = ApiClient().get("/works", tag=name).json()
        assert sorted(w["id"] for w in data["results"]) == [canonical_work.pk, synonym_work.pk]


def test_list_with_an_unknown_tag_is_404():
    assert ApiClient().get("/works", tag="No Such Tag").status_code == 404


@pytest.mark.both_search_engines
def test_list_runs_a_fixed_number_of_queries(alice, make_work, django_assert_num_queries):
    for n in range(5):
        make_work(alice, title=f"Work {n}", characters=[f"Person {n}"])

    warm_search()
    # the index's count and page of ids (the accelerator: its look at the change log), the
    # works, taggings+tags, creatorships+pseuds+users
    with django_assert_num_queries(listing_queries(sql=5, accelerated=4)):
        response = ApiClient().get("/works")

    assert len(response.json()["results"]) == 5
    assert Work.objects.count() == 5
