"""The gift exchange through the API: sign-up refusals named by field, matching, assignments."""

import pytest

from polis.collections.models import Signup
from tests.api.conftest import ApiClient
from tests.collections.conftest import close_signups

pytestmark = pytest.mark.django_db


def test_sign_up_errors_name_the_request_fields(make_exchange, make_user, token_for):
    make_exchange(name="yuletide")
    api = ApiClient(token_for(make_user("wren")))
    response = api.post(
        "/collections/yuletide/signup",
        {"requests": [{"tags": {"fandom": ["Nowhere"]}}], "offers": [{"tags": {"fandom": ["A"]}}]},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "requests[0].tags.fandom",
            "message": "“Nowhere” is not in this challenge's tag set.",
        }
    ]
    assert Signup.objects.count() == 0


def test_an_exchange_through_the_api(
    make_exchange, make_user, token_for, django_capture_on_commit_callbacks
):
    mod = make_user("mod")
    challenge = make_exchange(mod, name="yuletide")
    for name, request, offer in (("ann", "A", "B"), ("bob", "B", "A")):
        api = ApiClient(token_for(make_user(name)))
        body = {
            "requests": [{"tags": {"fandom": [request]}}],
            "offers": [{"tags": {"fandom": [offer]}}],
        }
        assert api.post("/collections/yuletide/signup", body).status_code == 201
    close_signups(challenge)
    mod_api = ApiClient(token_for(mod))
    assert (
        ApiClient(token_for(make_user())).post("/collections/yuletide/matching", {}).status_code
        == 404
    )
    early = mod_api.post("/collections/yuletide/assignments", {})
    assert early.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        started = mod_api.post("/collections/yuletide/matching", {})
    assert started.status_code == 202
    status = mod_api.get("/collections/yuletide/matching").json()
    assert (status["status"], status["progress"]) == ("done", 100)
    assert mod_api.post("/collections/yuletide/assignments", {}).json()["unmatched"] == []
    assert mod_api.post("/collections/yuletide/assignments/send", {}).json()["assignments_sent"]
