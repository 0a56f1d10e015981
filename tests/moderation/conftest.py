"""Moderation tests: staff with roles (made through Django's groups, as `polis role` does),
a suspended writer made through the real action, tasks run at once, fresh rate limits."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from polis.accounts.models import User
from polis.accounts.roles import Role
from polis.moderation.sanctions import user_suspend
from tests.api.conftest import token_for  # noqa: F401 (API tokens through the real action)
from tests.collections.conftest import (  # noqa: F401 (fixtures, used by name)
    make_collection,
    make_exchange,
    make_tag_set,
)

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _moderation_settings(settings):
    settings.TASKS = IMMEDIATE_TASKS
    settings.POLIS_COMMENT_RATE_GUEST = ""
    settings.POLIS_COMMENT_RATE_NEW_ACCOUNT = ""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_staff(make_user):
    def make(username: str, *roles: str, **extra):
        user = make_user(username, is_staff=True, **extra)
        for role in roles:
            group, _ = Group.objects.get_or_create(name=role)
            user.groups.add(group)
        return user

    return make


@pytest.fixture
def staff_with(make_user):
    """`staff_with(Role.X)`: a user holding that role (a Django group, as roles.py has it) on an
    account that is not staff: the staff tools refuse it (`has_staff_role`)."""

    def make(role: str, username: str | None = None) -> User:
        user = make_user(username)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def moderator(make_staff):
    return make_staff("warden", Role.POLICY_ABUSE)


@pytest.fixture
def abuse(make_staff) -> User:
    return make_staff("abuse_staff", Role.POLICY_ABUSE)


@pytest.fixture
def support(make_staff) -> User:
    return make_staff("support_staff", Role.SUPPORT)


@pytest.fixture
def writer(make_user) -> User:
    return make_user("writer")


@pytest.fixture
def suspended(abuse, writer, django_capture_on_commit_callbacks) -> User:
    with django_capture_on_commit_callbacks(execute=True):
        user_suspend(actor=abuse, user=writer, days=3, reason="Spamming comments.")
    writer.refresh_from_db()
    return writer


def client_as(user=None, *, address: str = "198.51.100.7") -> Client:
    client = Client(REMOTE_ADDR=address)
    if user is not None:
        client.force_login(user)
    return client


def text(response) -> str:
    """A page's text with HTML entities read (the archive&#x27;s → the archive's)."""
    import html

    return html.unescape(response.content.decode())
