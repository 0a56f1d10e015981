"""Staff with roles, and a suspended writer, made through the real actions."""

import pytest
from django.contrib.auth.models import Group

from polis.accounts.models import User
from polis.accounts.roles import Role
from polis.api.actions import token_create
from polis.moderation.sanctions import user_suspend
from tests.collections.conftest import (  # noqa: F401 (fixtures, used by name)
    make_collection,
    make_exchange,
    make_tag_set,
)

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def staff_with(make_user):
    """`staff_with(Role.X)`: a user holding that role (a Django group, as roles.py has it)."""

    def make(role: str, username: str | None = None) -> User:
        user = make_user(username)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def abuse(staff_with) -> User:
    return staff_with(Role.POLICY_ABUSE, "abuse_staff")


@pytest.fixture
def support(staff_with) -> User:
    return staff_with(Role.SUPPORT, "support_staff")


@pytest.fixture
def writer(make_user) -> User:
    return make_user("writer")


@pytest.fixture
def suspended(abuse, writer, django_capture_on_commit_callbacks) -> User:
    with django_capture_on_commit_callbacks(execute=True):
        user_suspend(actor=abuse, user=writer, days=3, reason="Spamming comments.")
    writer.refresh_from_db()
    return writer


@pytest.fixture
def token_for(db):
    def make(user: User) -> str:
        return token_create(actor=user, name="tests")[1]

    return make
