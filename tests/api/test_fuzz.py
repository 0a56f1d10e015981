"""Schemathesis fuzzes every operation of the API against its own OpenAPI schema: no 500s,
and every answer as documented.

Each generated request is sent twice, in process through the WSGI application: as generated,
without credentials; then with the bearer token of a user who owns works, a series, a bookmark
and a comment, its path pointing at those real objects, so that fuzzed bodies and queries reach
the code behind the 404s too. Schemathesis's coverage phase adds its boundary and invalid values
to the few fuzzed examples of each operation.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from polis.api.actions import token_create
from polis.collections.actions.tagsets import TagSetInput, tag_set_add_tags, tag_set_create
from polis.engagement.bookmarks import bookmark_create
from polis.engagement.comments import comment_create
from polis.works.series import series_add_work, series_create
from polis.wsgi import application

MAX_EXAMPLES = 5
# No 500s, and every answer has the shape the schema documents for its status.
CHECKS = [not_a_server_error, response_schema_conformance]


# Loaded once, at collection: the schema is built from the code and reads no database.
IDENTITY = {"Accept-Encoding": "identity"}
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    application,
    # Unlisted methods answer 405 from the URL router, the same code for every path: trying
    # each of them on every operation would cost a third of the time and test nothing new.
    config=SchemathesisConfig.from_dict({"phases": {"coverage": {"unexpected-methods": []}}}),
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The requests go straight to the WSGI application, whose request signals would close
    the database connection that holds the test's transaction (PostgreSQL); Django's test
    client unhooks them in the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # Hundreds of requests a minute from one token: the limits would answer 429 to most.
    settings.POLIS_API_RATE_READ = "1000000/m"
    settings.POLIS_API_RATE_WRITE = "1000000/m"


@pytest.fixture
def owner(make_user, make_work):
    """A user with works (one restricted), a series, a bookmark, a comment, a tag set and a
    token."""
    user = make_user("owner")
    reader = make_user("reader")
    work = make_work(
        user,
        title="Fuzzed",
        chapters=2,
        relationships=["Clarke Griffin/Lexa"],
        characters=["Clarke Griffin"],
        freeforms=["Road Trip"],
    )
    make_work(user, title="Locked", restricted=True)
    series = series_create(actor=user, title="A Series")
    series_add_work(actor=user, series=series, work=work)
    bookmark, _ = bookmark_create(actor=reader, work=work, notes="Good.")
    comment, _ = comment_create(actor=reader, work=work, text="Lovely.")
    tag_set = tag_set_create(actor=user, data=TagSetInput(title="Fuzz tags", nominations_open=True))
    tag_set_add_tags(actor=user, tag_set=tag_set, tag_type="fandom", names=["Fuzz Fandom"])
    token = token_create(actor=user, name="fuzz")[1]
    return {
        "token": token,
        "path": {
            "work_id": work.pk,
            "chapter_id": work.chapters.get(position=2).pk,
            "series_id": series.pk,
            "bookmark_id": bookmark.pk,
            "comment_id": comment.pk,
            "tag_set_id": tag_set.pk,
            "username": user.username,
            "name": "Clarke Griffin",
        },
    }


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_answers_500(case, owner):
    # Schemathesis' WSGI transport reads bodies as sent, where an HTTP client would undo the
    # gzip that the site applies to JSON (polis/core/compression.py): ask for none.
    case.call_and_validate(headers=IDENTITY, checks=CHECKS)
    # The owner's token, and the path on the owner's real objects where the case has a path.
    case.path_parameters = {
        key: owner["path"].get(key, value) for key, value in (case.path_parameters or {}).items()
    }
    token = {"Authorization": f"Bearer {owner['token']}"}
    case.call_and_validate(headers={**IDENTITY, **token}, checks=CHECKS)
