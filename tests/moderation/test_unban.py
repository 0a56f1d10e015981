"""Lifting a ban: the staff page and the API, recorded and told; the account logs in again."""

import pytest
from django.core import mail
from django.test import Client

from polis.accounts.models import User
from polis.accounts.roles import Role
from polis.core.models import AuditEntry
from polis.engagement.models import Notification, NotificationKind
from polis.moderation.sanctions import user_ban
from tests.api.conftest import ApiClient
from tests.moderation.conftest import text

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


@pytest.fixture
def banned(abuse, writer) -> User:
    user_ban(actor=abuse, user=writer, reason="Spam account.")
    writer.refresh_from_db()
    assert not Client().login(username="writer", password=PASSWORD)
    return writer


def _verbs(user: User) -> list[tuple[str, str, str]]:
    rows = AuditEntry.objects.filter(target_type="user", target_id=str(user.pk)).order_by("id")
    return [(e.actor_name, e.verb, e.reason) for e in rows]


def test_lifting_a_ban_from_the_staff_page(
    abuse, banned, client, django_capture_on_commit_callbacks
):
    client.force_login(abuse)
    page = text(client.get("/moderation/users/writer/sanctions"))
    assert '<p id="standing">\n    Banned.' in page
    assert '<legend id="unban-heading">Lift the ban</legend>' in page
    assert 'action="/moderation/users/writer/ban"' not in page

    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/moderation/users/writer/unban", {"unban-reason": "Appealed."})
    assert response.status_code == 302
    assert response["Location"] == "/moderation/users/writer/sanctions"
    banned.refresh_from_db()
    assert (banned.banned, banned.is_active) == (False, True)
    assert Client().login(username="writer", password=PASSWORD)
    assert _verbs(banned) == [
        ("abuse_staff", "user.ban", "Spam account."),
        ("abuse_staff", "user.unban", "Appealed."),
    ]
    assert AuditEntry.objects.get(verb="user.unban").role == Role.POLICY_ABUSE
    assert [m.subject for m in mail.outbox] == ["[Polis] Your ban has been lifted"]
    notices = Notification.objects.filter(recipient=banned, kind=NotificationKind.MODERATION)
    assert notices.order_by("pk").last().text == (
        "The archive's staff have lifted the ban on your account: you can log in again. "
        "Reason: Appealed."
    )
    shown = text(client.get("/moderation/users/writer/sanctions"))
    assert '<p id="standing">\n    In good standing.' in shown


def test_a_ban_is_lifted_only_with_a_reason_and_only_when_there_is_one(abuse, banned, client):
    client.force_login(abuse)
    empty = client.post("/moderation/users/writer/unban", {"unban-reason": ""})
    assert empty.status_code == 400
    assert "This field is required." in text(empty)
    banned.refresh_from_db()
    assert banned.banned
    assert client.post("/moderation/users/writer/unban", {"unban-reason": "Ok."}).status_code == 302
    again = client.post("/moderation/users/writer/unban", {"unban-reason": "Twice."})
    assert again.status_code == 400
    assert "This account is not banned." in text(again)
    assert AuditEntry.objects.filter(verb="user.unban").count() == 1


def test_lifting_a_ban_through_the_api(abuse, banned, token_for):
    api = ApiClient(token_for(abuse))
    response = api.post("/moderation/users/writer/unban", {"reason": "Appealed."})
    assert response.status_code == 200
    assert response.json() == {
        "username": "writer",
        "banned": False,
        "suspended_until": None,
        "may_participate": True,
    }
    again = api.post("/moderation/users/writer/unban", {"reason": "Twice."})
    assert again.status_code == 400
    assert again.json()["errors"] == [{"field": None, "message": "This account is not banned."}]


@pytest.mark.parametrize("who", ["reader", "support", "abuse_not_staff"])
def test_only_policy_and_abuse_staff_lift_a_ban(
    who, banned, make_user, make_staff, staff_with, token_for
):
    actor = {
        "reader": lambda: make_user("reader"),
        "support": lambda: make_staff("sup", Role.SUPPORT),
        "abuse_not_staff": lambda: staff_with(Role.POLICY_ABUSE, "pac"),
    }[who]()
    web = Client()
    web.force_login(actor)
    assert web.post("/moderation/users/writer/unban", {"unban-reason": "x"}).status_code == 403
    api = ApiClient(token_for(actor)).post("/moderation/users/writer/unban", {"reason": "x"})
    assert api.status_code == 403
    assert api.json()["detail"] == "Only Policy & Abuse staff can do this."
    banned.refresh_from_db()
    assert (banned.banned, banned.is_active) == (True, False)
    assert not AuditEntry.objects.filter(verb="user.unban").exists()
