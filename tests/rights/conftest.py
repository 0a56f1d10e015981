"""Fixtures of the rights tests: tasks run at once, exports go to this test's own folder."""

import pytest

from tests.api.conftest import ApiClient
from tests.collections.conftest import make_collection, make_tag_set, sign_up  # noqa: F401

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _rights_settings(settings, tmp_path):
    settings.TASKS = IMMEDIATE_TASKS
    settings.POLIS_EXPORT_DIR = tmp_path / "exports"


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


@pytest.fixture
def api_as(db):
    from polis.api.actions import token_create

    def make(user) -> ApiClient:
        return ApiClient(token_create(actor=user, name="tests")[1] if user else None)

    return make
