"""Feedback tests: tasks run at once, the inbox count in the header, and a cast of people.

The cast for permission matrices: a creator with a work; another reader; a reader the creator
blocked; a reader the creator muted; an admin; and an anonymous guest.
"""

import pytest
from django.test import Client

from polis.engagement.hits import hits_reset
from polis.engagement.relations import block_add, mute_add
from tests.browser.conftest import chromium_path, page  # noqa: F401 (Chromium fixtures)

PROCESSOR = "polis.engagement.context_processors.inbox"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
VIEWERS = ["anonymous", "other", "creator", "blocked", "muted", "admin"]


@pytest.fixture(autouse=True)
def _engagement_settings(settings):
    engine = settings.TEMPLATES[0]
    processors = engine["OPTIONS"]["context_processors"]
    if PROCESSOR not in processors:
        options = {**engine["OPTIONS"], "context_processors": [*processors, PROCESSOR]}
        settings.TEMPLATES = [{**engine, "OPTIONS": options}]
    settings.TASKS = IMMEDIATE_TASKS
    settings.POLIS_COMMENT_RATE_GUEST = ""
    settings.POLIS_COMMENT_RATE_NEW_ACCOUNT = ""
    settings.POLIS_HITS_FLUSH_SECONDS = 3600
    settings.POLIS_HITS_FLUSH_AT = 1000
    hits_reset()
    yield
    hits_reset()


@pytest.fixture
def cast(make_user, make_work):
    """People around one posted work by `creator`; the creator blocked one, muted another."""
    creator = make_user("writer")
    people = {
        "creator": creator,
        "other": make_user("reader"),
        "blocked": make_user("troll"),
        "muted": make_user("bore"),
        "admin": make_user("admin", is_superuser=True, is_staff=True),
    }
    block_add(actor=creator, target=people["blocked"])
    mute_add(actor=creator, target=people["muted"])
    work = make_work(creator, title="The Lighthouse", text="<p>The lamp turned all night.</p>")
    return people, work


def client_for(people: dict, viewer: str, *, address: str = "203.0.113.7") -> Client:
    client = Client(REMOTE_ADDR=address)
    if viewer != "anonymous":
        client.force_login(people[viewer])
    return client


def refusal(response) -> str:
    """The message of a refusal page (engagement/refused.html)."""
    from tests.works.support import parse

    return parse(response).select_one("div.error.notice p").text


def flash(response) -> list[str]:
    """The messages shown at the top of a page."""
    from tests.works.support import parse

    return parse(response).texts("ul.flash li")


@pytest.fixture
def api_for():
    """`api_for(user)`: a JSON client with a fresh token of `user`; `api_for(None)`: anonymous."""
    from polis.api.actions import token_create
    from tests.api.conftest import ApiClient

    class FeedbackApiClient(ApiClient):
        def put(self, path: str, body):
            return self._send("put", path, body)

    def make(user, *, address: str = "203.0.113.9"):
        token = token_create(actor=user, name="tests")[1] if user is not None else None
        return FeedbackApiClient(token, client=Client(REMOTE_ADDR=address))

    return make
