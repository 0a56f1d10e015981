"""The bookmark, people and tag searches of the API: every parameter named and documented in
the OpenAPI schema, an unknown one refused with a 400 naming it, a bad value with a 422."""

import pytest

from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

PARAMETERS = {
    "/api/v1/bookmarks/search": {
        "bookmark_search[bookmarker]",
        "bookmark_search[rec]",
        "bookmark_search[with_notes]",
        "bookmark_search[bookmark_notes]",
        "bookmark_search[bookmarkable_query]",
        "bookmark_search[other_tag_names]",
        "bookmark_search[excluded_tag_names]",
        "bookmark_search[other_bookmark_tag_names]",
        "bookmark_search[excluded_bookmark_tag_names]",
        "include_bookmark_search[tag_ids][]",
        "exclude_bookmark_search[tag_ids][]",
        "include_bookmark_search[bookmark_tag_names][]",
        "exclude_bookmark_search[bookmark_tag_names][]",
        "page",
        "per_page",
    },
    "/api/v1/people/search": {"people_search[name]", "people_search[fandom]", "page", "per_page"},
    "/api/v1/tags/search": {
        "tag_search[name]",
        "tag_search[type]",
        "tag_search[canonical]",
        "tag_search[fandoms]",
        "page",
        "per_page",
    },
}


@pytest.fixture(scope="module")
def operations(django_db_blocker):
    with django_db_blocker.unblock():
        schema = ApiClient().client.get("/api/v1/openapi.json").json()
    return {
        **{path: schema["paths"][path]["get"] for path in PARAMETERS},
        "components": schema["components"]["schemas"],
    }


@pytest.mark.parametrize("path", PARAMETERS)
def test_every_parameter_is_named_and_documented_in_the_schema(operations, path):
    parameters = operations[path]["parameters"]

    assert {p["name"] for p in parameters} == PARAMETERS[path]
    assert {p["in"] for p in parameters} == {"query"}
    for parameter in parameters:
        if parameter["name"] not in {"page", "per_page"}:
            assert parameter.get("description"), parameter["name"]
    assert {"200", "400", "422"} <= set(operations[path]["responses"])


def test_list_parameters_are_arrays_in_the_schema(operations):
    by_name = {p["name"]: p for p in operations["/api/v1/bookmarks/search"]["parameters"]}

    assert by_name["include_bookmark_search[tag_ids][]"]["schema"]["type"] == "array"
    assert by_name["include_bookmark_search[tag_ids][]"]["schema"]["items"] == {"type": "integer"}
    tags = {p["name"]: p for p in operations["/api/v1/tags/search"]["parameters"]}
    assert tags["tag_search[type]"]["schema"]["anyOf"][0] == {
        "$ref": "#/components/schemas/TagType"
    }
    assert "fandom" in operations["components"]["TagType"]["enum"]


@pytest.mark.parametrize(
    ("path", "params", "unknown"),
    [
        (
            "/bookmarks/search",
            {"bookmark_search[bookmarkr]": "bob"},
            ["bookmark_search[bookmarkr]"],
        ),
        ("/people/search", {"people_search[name]": "a", "q": "x"}, ["q"]),
        (
            "/tags/search",
            {"tag_search[name]": "a", "name": "x", "tag_search[fandom]": "y"},
            ["name", "tag_search[fandom]"],
        ),
    ],
)
def test_an_unknown_parameter_is_a_400_naming_it(path, params, unknown):
    response = ApiClient().get(path, **params)

    assert response.status_code == 400
    assert response.json() == {
        "detail": f"Unknown parameter: {', '.join(unknown)}.",
        "errors": [{"field": name, "message": "Unknown parameter."} for name in unknown],
    }


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/tags/search", {"tag_search[type]": "colour"}, "tag_search[type]"),
        ("/tags/search", {"tag_search[canonical]": "maybe"}, "tag_search[canonical]"),
        (
            "/bookmarks/search",
            {"include_bookmark_search[tag_ids][]": "x"},
            "include_bookmark_search[tag_ids][][0]",
        ),
        ("/bookmarks/search", {"bookmark_search[rec]": "often"}, "bookmark_search[rec]"),
        ("/people/search", {"people_search[name]": "a", "per_page": "500"}, "per_page"),
    ],
)
def test_a_value_that_cannot_be_read_is_a_422_naming_its_parameter(path, params, field):
    response = ApiClient().get(path, **params)

    assert response.status_code == 422
    # Ninja puts the schema's own name before a list item's place ("params.…[0]").
    [error] = response.json()["errors"]
    assert error["field"].removeprefix("params.") == field
