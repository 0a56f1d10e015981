"""A tag not wrangled yet still filters: by the works carrying it as written, in the search
form's tag fields and the sidebar's other tags (include and exclude), on the web and in the
API; once wrangled, its synonyms' works come with it."""

import pytest

from polis.works.models import Work
from tests.search.conftest import tag
from tests.search.support import notices
from tests.works.support import listed_work_ids

pytestmark = [pytest.mark.django_db, pytest.mark.both_search_engines]


@pytest.fixture
def fresh(make_user, make_work):
    """A fresh archive: nothing wrangled."""
    writer = make_user("writer")
    clexa = make_work(
        writer,
        title="Heda",
        fandoms=["The 100 (TV)"],
        relationships=["Clarke Griffin/Lexa"],
        freeforms=["Slow Burn"],
    )
    austen = make_work(
        writer,
        title="Pride and Prejudice",
        fandoms=["Pride and Prejudice - Jane Austen"],
        relationships=["Elizabeth Bennet/Fitzwilliam Darcy"],
        freeforms=["Slow Burn"],
    )
    return {"clexa": clexa, "austen": austen}


def test_the_search_form_filters_by_an_unwrangled_relationship(client, fresh):
    response = client.get(
        "/works/search", {"work_search[relationship_names]": "Clarke Griffin/Lexa"}
    )

    assert response.status_code == 200
    assert listed_work_ids(response) == [fresh["clexa"].pk]
    assert notices(response) == []


def test_names_match_whatever_their_case(client, fresh):
    response = client.get(
        "/works/search", {"work_search[relationship_names]": "clarke griffin/lexa"}
    )

    assert listed_work_ids(response) == [fresh["clexa"].pk]


def test_every_unwrangled_tag_named_must_be_on_the_work(client, fresh):
    both = client.get(
        "/works/search",
        {"work_search[freeform_names]": "Slow Burn", "work_search[fandom_names]": "The 100 (TV)"},
    )
    shared = client.get("/works", {"work_search[other_tag_names]": "Slow Burn"})

    assert listed_work_ids(both) == [fresh["clexa"].pk]
    assert sorted(listed_work_ids(shared)) == sorted([fresh["clexa"].pk, fresh["austen"].pk])


def test_the_sidebar_includes_and_excludes_other_unwrangled_tags(client, fresh):
    included = client.get("/works", {"work_search[other_tag_names]": "Clarke Griffin/Lexa"})
    excluded = client.get("/works", {"work_search[excluded_tag_names]": "Clarke Griffin/Lexa"})

    assert listed_work_ids(included) == [fresh["clexa"].pk]
    assert listed_work_ids(excluded) == [fresh["austen"].pk]
    assert notices(included) == notices(excluded) == []


def test_a_name_of_another_type_is_not_found(client, fresh):
    response = client.get("/works/search", {"work_search[character_names]": "Slow Burn"})

    assert notices(response) == ["We couldn't find the tag “Slow Burn”, so it was ignored."]
    assert sorted(listed_work_ids(response)) == sorted(w.pk for w in fresh.values())


def test_a_tag_only_on_a_draft_is_not_revealed(client, fresh, make_work):
    make_work(title="Secret", relationships=["Bellamy Blake/Clarke Griffin"], post=False)

    response = client.get(
        "/works/search", {"work_search[relationship_names]": "Bellamy Blake/Clarke Griffin"}
    )

    assert notices(response) == [
        "We couldn't find the tag “Bellamy Blake/Clarke Griffin”, so it was ignored."
    ]


def test_once_wrangled_its_synonyms_works_come_too(client, fresh, make_work, canonical, synonym):
    nickname = make_work(title="Commander", relationships=["Clexa"])
    canonical("Clarke Griffin/Lexa")
    synonym("Clexa", of="Clarke Griffin/Lexa")

    by_canonical = client.get(
        "/works/search", {"work_search[relationship_names]": "Clarke Griffin/Lexa"}
    )
    by_synonym = client.get("/works", {"work_search[other_tag_names]": "Clexa"})

    expected = sorted([fresh["clexa"].pk, nickname.pk])
    assert sorted(listed_work_ids(by_canonical)) == expected
    assert sorted(listed_work_ids(by_synonym)) == expected


def test_within_a_tag_page_the_scope_and_the_unwrangled_tag_both_apply(client, fresh):
    response = client.get(
        f"/tags/{tag('Slow Burn').name}/works",
        {"work_search[other_tag_names]": "Elizabeth Bennet/Fitzwilliam Darcy"},
    )

    assert listed_work_ids(response) == [fresh["austen"].pk]


def test_the_api_filters_by_an_unwrangled_tag(client, fresh):
    response = client.get(
        "/api/v1/works/search", {"work_search[relationship_names]": "Clarke Griffin/Lexa"}
    )

    assert response.status_code == 200
    body = response.json()
    assert [work["id"] for work in body["results"]] == [fresh["clexa"].pk]
    assert body["count"] == 1
    assert body["notices"] == []
    assert Work.objects.count() == 2
