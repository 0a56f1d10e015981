"""The OpenAPI schema, the local docs page, the error shape and rate limits."""

import json

import pytest

from polis.core.ratelimit import parse_rate
from polis.works.models import Work
from tests.api.conftest import ApiClient, work_body
from tests.works.support import parse

pytestmark = pytest.mark.django_db

ROUTES = {
    "/api/v1/blocklist": {"get", "post"},
    "/api/v1/blocklist/{name}": {"delete"},
    "/api/v1/blocks": {"get", "post"},
    "/api/v1/blocks/{username}": {"delete"},
    "/api/v1/bookmarks": {"post"},
    "/api/v1/bookmarks/search": {"get"},
    "/api/v1/bookmarks/{bookmark_id}": {"delete", "get", "patch"},
    "/api/v1/collections": {"get", "post"},
    "/api/v1/collections/{name}": {"get", "patch"},
    "/api/v1/collections/{name}/assignments": {"get", "post"},
    "/api/v1/collections/{name}/assignments/mine": {"get"},
    "/api/v1/collections/{name}/assignments/send": {"post"},
    "/api/v1/collections/{name}/assignments/{assignment_id}/default": {"post"},
    "/api/v1/collections/{name}/assignments/{assignment_id}/fulfil": {"post"},
    "/api/v1/collections/{name}/assignments/{assignment_id}/giver": {"post"},
    "/api/v1/collections/{name}/assignments/{assignment_id}/pinch_hit": {"post"},
    "/api/v1/collections/{name}/assignments/{assignment_id}/regenerate": {"post"},
    "/api/v1/collections/{name}/challenge": {"get", "patch"},
    "/api/v1/collections/{name}/claims": {"get"},
    "/api/v1/collections/{name}/invitations": {"post"},
    "/api/v1/collections/{name}/items": {"get", "post"},
    "/api/v1/collections/{name}/items/{item_id}": {"delete"},
    "/api/v1/collections/{name}/items/{item_id}/{decision}": {"post"},
    "/api/v1/collections/{name}/matching": {"get", "post"},
    "/api/v1/collections/{name}/matching/{signup_id}": {"get"},
    "/api/v1/collections/{name}/members": {"get", "post"},
    "/api/v1/collections/{name}/members/{username}": {"delete"},
    "/api/v1/collections/{name}/prompts": {"get"},
    "/api/v1/collections/{name}/prompts/{prompt_id}": {"delete", "get"},
    "/api/v1/collections/{name}/prompts/{prompt_id}/claim": {"post"},
    "/api/v1/collections/{name}/prompts/{prompt_id}/fill": {"post"},
    "/api/v1/collections/{name}/reveal": {"post"},
    "/api/v1/collections/{name}/signup": {"delete", "get", "patch", "post"},
    "/api/v1/collections/{name}/signups": {"get"},
    "/api/v1/collections/{name}/works": {"get"},
    "/api/v1/comments/{comment_id}": {"delete", "get", "patch"},
    "/api/v1/comments/{comment_id}/{change}": {"post"},
    "/api/v1/gifts/{gift_id}/refuse": {"post"},
    "/api/v1/history": {"delete", "get"},
    "/api/v1/history/settings": {"put"},
    "/api/v1/history/{work_id}": {"delete"},
    "/api/v1/inbox": {"get"},
    "/api/v1/inbox/settings": {"put"},
    "/api/v1/inbox/{notification_id}": {"delete", "patch"},
    "/api/v1/inbox/{notification_id}/reply": {"post"},
    "/api/v1/marked_for_later": {"get"},
    "/api/v1/invitation-requests": {"post"},
    "/api/v1/invitation-requests/{token}": {"get"},
    "/api/v1/moderation/invitation-requests/release": {"post"},
    "/api/v1/moderation/site-settings": {"get", "patch"},
    "/api/v1/moderation/roles": {"get"},
    "/api/v1/moderation/users/{username}/ban": {"post"},
    "/api/v1/moderation/users/{username}/roles/{role}": {"post", "delete"},
    "/api/v1/moderation/users/{username}/standing": {"get"},
    "/api/v1/moderation/users/{username}/suspend": {"post"},
    "/api/v1/moderation/users/{username}/unban": {"post"},
    "/api/v1/moderation/users/{username}/unsuspend": {"post"},
    "/api/v1/moderation/users/{username}/warn": {"post"},
    "/api/v1/me": {"get"},
    "/api/v1/me/delete": {"post"},
    "/api/v1/me/exports": {"get", "post"},
    "/api/v1/me/exports/{export_id}/download": {"get"},
    "/api/v1/me/orphan": {"post"},
    "/api/v1/me/pseuds/{pseud}/orphan": {"post"},
    "/api/v1/series/{series_id}/orphan": {"post"},
    "/api/v1/works/{work_id}/orphan": {"post"},
    "/api/v1/me/preferences": {"get", "patch", "put"},
    "/api/v1/me/skins": {"get"},
    "/api/v1/skins": {"post"},
    "/api/v1/skins/{skin_id}": {"delete", "get", "patch"},
    "/api/v1/works/{work_id}/skin": {"put"},
    "/api/v1/mutes": {"get", "post"},
    "/api/v1/mutes/{username}": {"delete"},
    "/api/v1/people/search": {"get"},
    "/api/v1/saved_searches": {"get", "post"},
    "/api/v1/saved_searches/{saved_id}": {"delete"},
    "/api/v1/series": {"post"},
    "/api/v1/series/{series_id}": {"delete", "get", "patch"},
    "/api/v1/series/{series_id}/order": {"put"},
    "/api/v1/series/{series_id}/works": {"post"},
    "/api/v1/series/{series_id}/works/{work_id}": {"delete"},
    "/api/v1/stats": {"get"},
    "/api/v1/subscriptions": {"get", "post"},
    "/api/v1/subscriptions/{subscription_id}": {"delete"},
    "/api/v1/tags": {"get"},
    "/api/v1/media": {"get"},
    "/api/v1/media/{name}/fandoms": {"get"},
    "/api/v1/languages": {"get"},
    "/api/v1/tags/search": {"get"},
    "/api/v1/tags/unwrangled": {"get", "post"},
    "/api/v1/tag_sets": {"get", "post"},
    "/api/v1/tag_sets/{tag_set_id}": {"get", "patch"},
    "/api/v1/tag_sets/{tag_set_id}/associations": {"post"},
    "/api/v1/tag_sets/{tag_set_id}/nominations": {"get", "post"},
    "/api/v1/tag_sets/{tag_set_id}/nominations/{nomination_id}/{decision}": {"post"},
    "/api/v1/tag_sets/{tag_set_id}/tags": {"post"},
    "/api/v1/tags/{name}": {"get", "patch"},
    "/api/v1/tags/{name}/works": {"get"},
    "/api/v1/users/{username}": {"get"},
    "/api/v1/users/{username}/collections": {"get"},
    "/api/v1/users/{username}/bookmarks": {"get"},
    "/api/v1/users/{username}/gifts": {"get"},
    "/api/v1/users/{username}/series": {"get"},
    "/api/v1/users/{username}/works": {"get"},
    "/api/v1/works": {"get", "post"},
    "/api/v1/works/search": {"get"},
    "/api/v1/works/import": {"post"},
    "/api/v1/works/import/file": {"post"},
    "/api/v1/works/import/{job_id}": {"get"},
    "/api/v1/works/import/claim/{token}": {"post"},
    "/api/v1/works/suggest-tags": {"post"},
    "/api/v1/works/{work_id}": {"delete", "get", "patch"},
    "/api/v1/works/{work_id}/schedule": {"put"},
    "/api/v1/works/{work_id}/similar": {"get"},
    "/api/v1/works/{work_id}/suggest-tags": {"get"},
    "/api/v1/works/{work_id}/chapters/{chapter_id}/schedule": {"put"},
    "/api/v1/works/{work_id}/bookmarks": {"get", "post"},
    "/api/v1/works/{work_id}/chapters": {"post"},
    "/api/v1/works/{work_id}/chapters/{chapter_id}": {"get", "patch"},
    "/api/v1/works/{work_id}/collections": {"get"},
    "/api/v1/works/{work_id}/collections/{item_id}": {"delete"},
    "/api/v1/works/{work_id}/collections/{item_id}/{decision}": {"post"},
    "/api/v1/works/{work_id}/comment_settings": {"get", "put"},
    "/api/v1/works/{work_id}/comments": {"get", "post"},
    "/api/v1/works/{work_id}/gifts": {"get", "post"},
    "/api/v1/works/{work_id}/gifts/{gift_id}": {"delete"},
    "/api/v1/works/{work_id}/kudos": {"get", "post"},
    "/api/v1/works/{work_id}/mark_for_later": {"delete", "post"},
    # moderation (polis/api/moderation.py)
    "/api/v1/reports": {"post"},
    "/api/v1/moderation/queue": {"get"},
    "/api/v1/moderation/works/{work_id}/retag": {"post"},
    "/api/v1/audit": {"get"},
    "/api/v1/moderation/{target_type}/{target_id}/hide": {"post"},
    "/api/v1/moderation/{target_type}/{target_id}/unhide": {"post"},
    "/api/v1/moderation/{target_type}/{target_id}/spam": {"post"},
    "/api/v1/moderation/{target_type}/{target_id}/freeze": {"post"},
    "/api/v1/moderation/{target_type}/{target_id}/unfreeze": {"post"},
    "/api/v1/moderation/{target_type}/{target_id}/dismiss": {"post"},
}


def test_openapi_schema_lists_every_route(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "Polis API"
    assert {path: set(ops) for path, ops in schema["paths"].items()} == ROUTES
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    post = schema["paths"]["/api/v1/works"]["post"]
    assert post["security"] == [{"TokenAuth": []}]
    assert {"201", "400", "401", "422", "429"} <= set(post["responses"])


def test_docs_page_lists_every_operation_of_the_schema_without_scripts(client):
    schema = client.get("/api/v1/openapi.json").json()
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    page = parse(response)
    listed = [" ".join(h.text.split()) for h in page.select("article.api-operation h3 code")]
    expected = [
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method in ("get", "post", "put", "patch", "delete")
        if method in item
    ]
    assert sorted(listed) == sorted(expected)
    assert "POST /api/v1/works" in listed
    assert page.select_one("h1").text == "Polis API"
    assert page.select_one('a[href="/api/v1/openapi.json"]')
    assert "<script" not in response.content.decode()  # the docs need no JavaScript


def test_a_body_that_is_not_json_is_400(alice, api_as):
    client = api_as(alice)
    response = client.client.post(
        "/api/v1/works", "{not json", content_type="application/json", headers=client.headers
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body", "errors": []}


@pytest.mark.parametrize("path", ["/nothing", "/", "/works/1/unknown"])
def test_unknown_api_paths_answer_json_404(path):
    response = ApiClient().get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}


def test_a_wrong_method_answers_json_405():
    response = ApiClient().client.put("/api/v1/works")

    assert response.status_code == 405
    assert response.json() == {"detail": "Method not allowed.", "errors": []}
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}


def test_reads_over_the_limit_get_429_with_retry_after(settings):
    settings.POLIS_API_RATE_READ = 2

    statuses = [ApiClient().get("/works").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    response = ApiClient().get("/works")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json() == {"detail": "Too many requests.", "errors": []}


def test_writes_have_their_own_limit_per_token(settings, alice, bob, api_as):
    settings.POLIS_API_RATE_WRITE = "1/m"
    alice_api, bob_api = api_as(alice), api_as(bob)

    assert alice_api.post("/works", work_body()).status_code == 201
    refused = alice_api.post("/works", work_body())
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert bob_api.post("/works", work_body()).status_code == 201
    assert alice_api.get("/works").status_code == 200  # reads are counted apart
    assert Work.objects.count() == 2


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [(120, (120, 60)), ("30/m", (30, 60)), ("5/s", (5, 1)), ("100/hour", (100, 3600))],
)
def test_rates_are_read_as_requests_per_period(rate, parsed):
    assert parse_rate(rate) == parsed
