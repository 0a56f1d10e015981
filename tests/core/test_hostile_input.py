"""Hostile input gets a clear answer, never a 500: unstorable text, deep HTML, huge bodies.

A lone UTF-16 surrogate in JSON (`"\\ud800"`) gave a 500 on both databases, a NUL byte in a tag
lookup a 500 on PostgreSQL, and a 20 MB API body an HTML 400 page.
"""

import json

import pytest
from django.test import Client

from polis.core.sanitizer import TOO_DEEP
from polis.core.storable import UNSTORABLE
from polis.engagement.models import Comment
from polis.works.models import Work
from tests.works.support import parse, work_form_data

pytestmark = pytest.mark.django_db

NEW = "/works/new"
UNSTORABLE_ERROR = {"field": "text", "message": UNSTORABLE}


@pytest.fixture
def writer(make_user):
    return make_user("writer")


@pytest.fixture
def api(writer):
    from polis.api.actions import token_create

    token = token_create(actor=writer, name="tests")[1]
    client = Client()

    def send(path: str, raw: str):
        return client.post(
            "/api/v1" + path,
            raw,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )

    return send


def _work_body(**overrides) -> dict:
    return {
        "title": "The Lighthouse",
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": ["Original Work"],
        "chapters": [{"text": "<p>The lamp turned.</p>"}],
        **overrides,
    }


@pytest.mark.parametrize("escaped", [r"\ud800", r"\udfff", r"a\u0000b"])
def test_api_refuses_a_comment_no_database_can_store_naming_the_field(
    api, make_work, writer, escaped
):
    work = make_work(writer)

    response = api(f"/works/{work.pk}/comments", '{"text": "' + escaped + '"}')

    assert response.status_code == 422
    assert response.json() == {"detail": "The request is not valid.", "errors": [UNSTORABLE_ERROR]}
    assert Comment.objects.count() == 0


def test_api_names_every_unstorable_field_of_a_work_however_nested(api):
    body = json.dumps(_work_body(title="Bad\ud800", chapters=[{"text": "ok"}, {"text": "\x00"}]))

    response = api("/works", body)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [
        "title",
        "chapters[1].text",
    ]
    assert Work.objects.count() == 0


def test_api_refuses_html_nested_too_deep_on_the_chapter_text(api):
    deep = "<div>" * 101 + "x" + "</div>" * 101

    response = api("/works", json.dumps(_work_body(chapters=[{"text": deep}])))

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "chapters[0].text", "message": TOO_DEEP}]
    assert Work.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/tags/a%00b", 404),
        ("/tags/a%00b/works", 404),
        ("/autocomplete/tags?term=a%00b", 400),
        ("/works/search?work_search[query]=a%00b", 400),
        ("/works/search?work_search[freeform_names]=a%00b", 400),
        ("/tags/Fluff/works?work_search[other_tag_names]=a%00b", 400),
    ],
)
def test_web_lookups_with_a_nul_answer_cleanly(make_work, client, url, status):
    make_work(freeforms=["Fluff"])

    response = client.get(url)

    assert response.status_code == status
    assert response["Content-Type"] == "text/html; charset=utf-8"
    if status == 400:
        notice = parse(response).select_one("div.error.notice").text
        assert notice.startswith(UNSTORABLE) and notice.endswith("and try again.")


@pytest.mark.parametrize(
    ("url", "status", "errors"),
    [
        ("/api/v1/tags/a%00b", 404, []),
        ("/api/v1/tags/a%00b/works", 404, []),
        ("/api/v1/tags?q=a%00b", 400, [{"field": "q", "message": UNSTORABLE}]),
        ("/api/v1/works/search?q=a%00b", 400, [{"field": "q", "message": UNSTORABLE}]),
    ],
)
def test_api_lookups_with_a_nul_answer_json_naming_the_parameter(
    make_work, client, url, status, errors
):
    make_work(freeforms=["Fluff"])

    response = client.get(url)

    assert response.status_code == status
    assert response.json()["errors"] == errors


def _field_errors(response, name: str) -> list[str]:
    return parse(response).texts(f"#field-{name} .errorlist li")


def test_posting_form_refuses_a_nul_in_the_title_keeping_what_was_typed(client, writer):
    client.force_login(writer)

    response = client.post(NEW, work_form_data(writer, post="1", title="Heda\x00"))

    assert response.status_code == 200
    assert _field_errors(response, "title") == ["Null characters are not allowed."]
    assert parse(response).select_one("#id_title").get("value") == "Heda\x00"
    assert Work.objects.count() == 0


def test_posting_form_refuses_html_nested_too_deep_keeping_the_text(client, writer):
    client.force_login(writer)
    deep = "<div>" * 150 + "Down here." + "</div>" * 150

    response = client.post(NEW, work_form_data(writer, post="1", text=deep))

    assert response.status_code == 200
    assert _field_errors(response, "text") == [TOO_DEEP]
    assert parse(response).select_one("#id_text").text == deep
    assert Work.objects.count() == 0


def test_an_api_body_over_the_limit_gets_a_json_413(api, make_work, writer, settings):
    work = make_work(writer)

    response = api(f"/works/{work.pk}/comments", json.dumps({"text": "x" * (20 * 1024 * 1024)}))

    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request is too large: send at most 16,777,216 bytes.",
        "errors": [],
    }
    assert Comment.objects.count() == 0


def test_a_web_form_over_the_limit_gets_the_413_page(client, writer):
    client.force_login(writer)

    response = client.post(NEW, work_form_data(writer, post="1", text="x" * (20 * 1024 * 1024)))

    assert response.status_code == 413
    assert parse(response).select_one("main h1.heading").text == "Error 413"
    assert Work.objects.count() == 0
