"""Moderation tests: staff with roles (made through Django's groups, as `polis role` does),
tasks run at once, and fresh rate limits."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from polis.accounts.roles import Role
from tests.api.conftest import token_for  # noqa: F401 (API tokens through the real action)

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
def moderator(make_staff):
    return make_staff("warden", Role.POLICY_ABUSE)


@pytest.fixture
def support(make_staff):
    return make_staff("helper", Role.SUPPORT)


def client_as(user=None, *, address: str = "198.51.100.7") -> Client:
    client = Client(REMOTE_ADDR=address)
    if user is not None:
        client.force_login(user)
    return client


def text(response) -> str:
    """A page's text with HTML entities read (the archive&#x27;s → the archive's)."""
    import html

    return html.unescape(response.content.decode())
