"""The API's works search is typed: every `work_search[...]` parameter is named and documented
in the OpenAPI schema, and a parameter it does not name is a 400 naming it."""

import pytest

from polis.search.params import ID_FIELDS, NAME_FIELDS
from tests.search.conftest import set_stats

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/works/search"


@pytest.fixture
def parameters(client) -> dict[str, dict]:
    operation = client.get("/api/v1/openapi.json").json()["paths"][SEARCH]["get"]
    return {parameter["name"]: parameter for parameter in operation["parameters"]}


def test_every_search_parameter_is_named_and_documented(parameters):
    text = {
        "query",
        "title",
        "creators",
        *NAME_FIELDS,
        "excluded_tag_names",
        "crossover",
        "complete",
        "single_chapter",
        "language_id",
        "word_count",
        "hits",
        "kudos_count",
        "comments_count",
        "bookmarks_count",
        "words_from",
        "words_to",
        "revised_at",
        "date_from",
        "date_to",
        "sort_column",
        "sort_direction",
    }
    lists = {
        f"{prefix}[{name}][]"
        for prefix in ("include_work_search", "exclude_work_search", "work_search")
        for name in ID_FIELDS
    }
    assert set(parameters) == {"page", "per_page"} | {f"work_search[{n}]" for n in text} | lists
    for name, parameter in parameters.items():
        assert parameter["in"] == "query"
        assert parameter["required"] is False
        if name not in {"page", "per_page"}:
            assert parameter["description"], name


def test_the_schema_says_what_each_takes(parameters):
    query = parameters["work_search[query]"]["description"]
    assert "`kudos_count:`" in query and "`sing*`" in query and "`<2 weeks`" in query
    fandoms = parameters["include_work_search[fandom_ids][]"]["schema"]["anyOf"][0]
    assert fandoms == {"type": "array", "items": {"type": "integer"}}
    sort = parameters["work_search[sort_column]"]["schema"]
    assert "kudos_count" in sort["enum"] and "_score" in sort["enum"]


@pytest.mark.parametrize(
    ("params", "unknown"),
    [
        ({"query": "wave"}, ["query"]),
        ({"work_search[qeury]": "wave"}, ["work_search[qeury]"]),
        ({"include_work_search[fandom_ids]": "3"}, ["include_work_search[fandom_ids]"]),
        ({"tag": "Fluff", "sort": "kudos"}, ["sort", "tag"]),
    ],
    ids=str,
)
def test_an_unknown_parameter_is_a_400_naming_it(client, params, unknown):
    response = client.get(SEARCH, params)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Unknown parameters: " + ", ".join(unknown) + ".",
        "errors": [{"field": name, "message": "Unknown parameter."} for name in unknown],
    }


def test_a_typed_parameter_of_the_wrong_type_is_refused(client):
    response = client.get(SEARCH, {"include_work_search[fandom_ids][]": "abc"})

    assert response.status_code == 422
    # ninja's location: the schema argument, the parameter, the item.
    assert response.json()["errors"][0]["field"] == "params.include_work_search[fandom_ids][][0]"


def test_named_parameters_search(client, make_work):
    quiet = make_work(title="Quiet", text="<p>wave</p>")
    loved = make_work(title="Loved", text="<p>wave</p>")
    set_stats(loved, kudos=10)
    make_work(title="Other", text="<p>lantern</p>")

    response = client.get(
        SEARCH,
        {
            "work_search[query]": "wave kudos_count:>1 OR title:quiet",
            "work_search[sort_column]": "kudos_count",
            "per_page": "5",
        },
    )

    assert response.status_code == 200
    assert [work["id"] for work in response.json()["results"]] == [loved.pk, quiet.pk]
