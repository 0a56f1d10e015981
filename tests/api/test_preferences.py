"""GET/PUT /api/v1/me/preferences: the same reading preferences as /preferences."""

from typing import get_args

import pytest

from polis.accounts import reading
from polis.api import preferences
from tests.api.conftest import ApiClient, fields

DEFAULTS = {
    "theme": "system",
    "skin": "default",
    "font_family": "serif",
    "font_size": "100",
    "text_width": "comfortable",
    "line_spacing": "normal",
    "hide_work_skins": False,
    "view_full_work": False,
    "view_adult": False,
    "similar_works_enabled": True,
}


def put(api: ApiClient, body):
    return api._send("put", "/me/preferences", body)


def test_the_schema_offers_exactly_the_models_choices():
    for name, literal in [
        ("theme", preferences.Theme),
        ("skin", preferences.Skin),
        ("font_family", preferences.FontFamily),
        ("font_size", preferences.FontSize),
        ("text_width", preferences.TextWidth),
        ("line_spacing", preferences.LineSpacing),
    ]:
        assert get_args(literal) == reading.CHOICES[name]


@pytest.mark.django_db
def test_defaults_then_a_partial_put_then_the_web_page_agrees(api_as, alice, client):
    api = api_as(alice)
    assert api.get("/me/preferences").json() == DEFAULTS

    response = put(
        api, {"theme": "dark", "font_size": "160", "hide_work_skins": True, "view_adult": True}
    )

    assert response.status_code == 200
    expected = {
        **DEFAULTS,
        "theme": "dark",
        "font_size": "160",
        "hide_work_skins": True,
        "view_adult": True,
    }
    assert response.json() == expected
    assert api.get("/me/preferences").json() == expected
    client.force_login(alice)
    html = client.get("/preferences").content.decode()
    assert '<html lang="en" class="theme-dark skin-default font-serif size-160 ' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"theme": "purple"}, "theme", None),
        ({"font_size": 100}, "font_size", None),
        ({"hide_work_skins": "yes"}, "hide_work_skins", None),
        ({"colour": "red"}, "colour", "Unknown field."),
        ({"skin": None}, "skin", "Leave this field out to keep it; null is not a value."),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(api_as, alice, body, field, message):
    api = api_as(alice)

    response = put(api, {"text_width": "wide", **body})

    assert response.status_code in (400, 422)
    assert fields(response) == [field]
    if message:
        assert response.json()["errors"][0]["message"] == message
    assert api.get("/me/preferences").json() == DEFAULTS


@pytest.mark.django_db
def test_guests_and_sessions_cannot_write(api_as, alice, client):
    assert api_as(None).get("/me/preferences").status_code == 401
    assert put(api_as(None), {"theme": "dark"}).status_code == 401
    client.force_login(alice)
    session = ApiClient(client=client)
    assert session.get("/me/preferences").json() == DEFAULTS
    assert put(session, {"theme": "dark"}).status_code == 401


@pytest.mark.django_db
def test_the_openapi_schema_lists_both_operations(client):
    schema = client.get("/api/v1/openapi.json").json()

    operations = schema["paths"]["/api/v1/me/preferences"]
    assert sorted(operations) == ["get", "patch", "put"]
    body = operations["put"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/PreferencesIn"}
    theme = schema["components"]["schemas"]["PreferencesOut"]["properties"]["theme"]
    assert theme["enum"] == ["system", "light", "dark"]
