"""Warn, suspend (and its expiry), lift, ban: pages, API, audit log, notices, e-mail."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone

from polis.accounts.models import User
from polis.accounts.roles import Role
from polis.accounts.standing import may_participate
from polis.api.models import ApiToken
from polis.core.models import AuditEntry
from polis.engagement.comments import comment_create
from polis.engagement.kudos import kudos_give
from polis.engagement.models import Comment, Kudos, Notification, NotificationKind
from polis.moderation import sanction_tasks
from polis.moderation.sanctions import user_ban, user_suspend
from polis.works.actions import work_create
from polis.works.models import Work
from tests.api.conftest import ApiClient
from tests.moderation.conftest import IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db


def _entries(user: User) -> list[tuple[str, str, str]]:
    rows = AuditEntry.objects.filter(target_type="user", target_id=str(user.pk)).order_by("id")
    return [(e.actor_name, e.verb, e.reason) for e in rows]


def _notices(user: User) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, kind=NotificationKind.MODERATION)
        .order_by("pk")
        .values_list("text", flat=True)
    )


def test_a_suspension_from_the_staff_page_refuses_kudos_until_it_expires(
    client, abuse, writer, make_work, django_capture_on_commit_callbacks
):
    work = make_work(title="Someone Else's")
    client.force_login(abuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/moderation/users/writer/suspend",
            {"suspend-days": "3", "suspend-reason": "Spamming comments."},
        )
    assert response.status_code == 302
    assert response["Location"] == "/moderation/users/writer/sanctions"
    writer.refresh_from_db()
    until = writer.suspended_until
    assert until - timezone.now() > datetime.timedelta(days=2, hours=23)
    assert not may_participate(writer)
    end = f"{until:%d %B %Y at %H:%M} UTC"

    # The audit log, the inbox notice and the e-mail say what, why and until when.
    assert _entries(writer) == [("abuse_staff", "user.suspend", "Spamming comments.")]
    entry = AuditEntry.objects.get(verb="user.suspend")
    assert entry.details == {"days": 3, "until": until.isoformat()}
    assert entry.role == Role.POLICY_ABUSE
    (notice,) = _notices(writer)
    assert notice.startswith(f"Your account is suspended for 3 days, until {end}; ")
    assert notice.endswith(" Reason: Spamming comments.")
    (message,) = mail.outbox
    assert message.to == ["writer@example.org"]
    assert message.subject == "[Polis] Your account is suspended"
    assert f"until {end}" in message.body and "Spamming comments." in message.body

    # The staff page shows the standing and the history.
    page = client.get("/moderation/users/writer/sanctions").content.decode()
    assert "Suspended until" in page and "user.suspend" in page

    # While suspended: refused, with the end named, and nothing written.
    refusal = (
        f"Your account is suspended until {end}: until then you can read and manage your own "
        "data, but not post, comment, leave kudos, bookmark, send invitations or join "
        "challenges."
    )
    fan = Client()
    fan.force_login(writer)
    refused = fan.post(f"/works/{work.pk}/kudos")
    assert refused.status_code == 403
    assert refusal in refused.content.decode()
    assert Kudos.objects.count() == 0
    # Reading still works, and every page says until when the suspension lasts.
    reading = fan.get(work.get_absolute_url())
    assert reading.status_code == 200
    assert 'id="standing_notice"' in reading.content.decode()
    assert f"suspended until {end}" in reading.content.decode()

    # Time passes: the suspension ends by itself, with no job and no new audit entry.
    User.objects.filter(pk=writer.pk).update(suspended_until=timezone.now() - datetime.timedelta(1))
    writer.refresh_from_db()
    assert may_participate(writer)
    given = fan.post(f"/works/{work.pk}/kudos")
    assert given.status_code == 302
    assert Kudos.objects.filter(user=writer, work=work).count() == 1
    assert 'id="standing_notice"' not in fan.get(work.get_absolute_url()).content.decode()
    assert _entries(writer) == [("abuse_staff", "user.suspend", "Spamming comments.")]
    assert "In good standing." in client.get("/moderation/users/writer/sanctions").content.decode()


def test_warn_and_lift_through_the_api_are_recorded_and_told(
    abuse, suspended, token_for, django_capture_on_commit_callbacks
):
    api = ApiClient(token_for(abuse))
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        warned = api.post("/moderation/users/writer/warn", {"reason": "Tag your works."})
        lifted = api.post("/moderation/users/writer/unsuspend", {"reason": "Appeal upheld."})
    assert warned.status_code == 200
    assert lifted.status_code == 200
    assert lifted.json() == {
        "username": "writer",
        "banned": False,
        "suspended_until": None,
        "may_participate": True,
    }
    assert _entries(suspended) == [
        ("abuse_staff", "user.suspend", "Spamming comments."),
        ("abuse_staff", "user.warn", "Tag your works."),
        ("abuse_staff", "user.unsuspend", "Appeal upheld."),
    ]
    assert _notices(suspended)[1:] == [
        "The archive's staff have sent you a warning about your use of the archive. "
        "Reason: Tag your works.",
        "The archive's staff have lifted your suspension: you can take part again. "
        "Reason: Appeal upheld.",
    ]
    assert [m.subject for m in mail.outbox] == [
        "[Polis] A warning from the archive's staff",
        "[Polis] Your suspension has been lifted",
    ]
    again = api.post("/moderation/users/writer/unsuspend", {"reason": "Twice."})
    assert again.status_code == 400
    assert again.json()["errors"] == [{"field": None, "message": "This account is not suspended."}]


@pytest.mark.parametrize(
    "who, web_status, api_status",
    [
        ("guest", 302, 401),
        ("other", 403, 403),
        ("support", 403, 403),
        ("wrangler", 403, 403),
        ("abuse_not_staff", 403, 403),
        ("abuse", 302, 200),
        ("superadmin", 302, 200),
    ],
)
def test_who_may_suspend(
    who, web_status, api_status, make_user, make_staff, staff_with, writer, token_for
):
    actor = {
        "guest": lambda: None,
        "other": lambda: make_user("other"),
        "support": lambda: make_staff("sup", Role.SUPPORT),
        "wrangler": lambda: make_staff("wrangler", Role.TAG_WRANGLING),
        "abuse_not_staff": lambda: staff_with(Role.POLICY_ABUSE, "pac"),
        "abuse": lambda: make_staff("pac", Role.POLICY_ABUSE),
        "superadmin": lambda: make_user("chief", is_superuser=True, is_staff=True),
    }[who]()
    web = Client()
    if actor is not None:
        web.force_login(actor)
    page = web.get("/moderation/users/writer/sanctions")
    posted = web.post(
        "/moderation/users/writer/suspend", {"suspend-days": "2", "suspend-reason": "Because."}
    )
    assert posted.status_code == web_status
    assert page.status_code == {302: 200, 403: 403}[web_status] if actor else 302
    writer.refresh_from_db()
    assert (writer.suspended_until is not None) == (api_status == 200)

    User.objects.filter(pk=writer.pk).update(suspended_until=None)
    before = AuditEntry.objects.count()
    api = ApiClient(token_for(actor) if actor else None)
    answer = api.post("/moderation/users/writer/suspend", {"days": 2, "reason": "Because."})
    assert answer.status_code == api_status
    writer.refresh_from_db()
    assert (writer.suspended_until is not None) == (api_status == 200)
    assert AuditEntry.objects.count() == before + (1 if api_status == 200 else 0)
    if api_status == 403:
        assert answer.json()["detail"] == "Only Policy & Abuse staff can do this."


def test_staff_cannot_sanction_themselves_or_superusers(abuse, make_user, token_for):
    chief = make_user("chief", is_superuser=True)
    api = ApiClient(token_for(abuse))
    own = api.post("/moderation/users/abuse_staff/ban", {"reason": "Oops."})
    boss = api.post("/moderation/users/chief/suspend", {"days": 1, "reason": "Oops."})
    assert own.status_code == 403
    assert own.json()["detail"] == "You can't sanction your own account."
    assert boss.status_code == 403
    assert boss.json()["detail"] == "A superuser's account can't be sanctioned here."
    abuse.refresh_from_db()
    chief.refresh_from_db()
    assert not abuse.banned and chief.suspended_until is None
    assert not AuditEntry.objects.exists()


def test_a_suspension_needs_a_reason_and_a_sane_length(abuse, writer, token_for):
    api = ApiClient(token_for(abuse))
    empty = api.post("/moderation/users/writer/suspend", {"days": 3, "reason": "  "})
    long = api.post("/moderation/users/writer/suspend", {"days": 0, "reason": "Spam."})
    assert empty.status_code == 400
    assert empty.json()["errors"] == [
        {"field": "reason", "message": "Say why: the user is told this reason."}
    ]
    assert long.json()["errors"] == [
        {"field": "days", "message": "Suspend for a whole number of days from 1 to 3650."}
    ]
    writer.refresh_from_db()
    assert writer.suspended_until is None


def test_a_ban_ends_sessions_and_tokens_and_login(
    abuse, writer, token_for, django_capture_on_commit_callbacks
):
    browser = Client()
    assert browser.login(username="writer", password="a-long-test-password")
    other = Client()
    other.force_login(abuse)
    token = token_for(writer)
    assert ApiClient(token).get("/inbox").status_code == 200
    assert browser.get("/settings").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = other.post("/moderation/users/writer/ban", {"ban-reason": "Spam account."})
    assert response.status_code == 302

    writer.refresh_from_db()
    assert writer.banned and not writer.is_active
    assert not ApiToken.objects.filter(user=writer).exists()
    assert ApiClient(token).get("/inbox").status_code == 401
    assert browser.get("/settings").status_code == 302  # logged out: sent to log in
    remaining = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(writer.pk) not in remaining and str(abuse.pk) in remaining
    assert not Client().login(username="writer", password="a-long-test-password")
    entry = AuditEntry.objects.get(verb="user.ban")
    assert entry.details == {"delete_content": False, "tokens_revoked": 1, "sessions_ended": 1}
    assert mail.outbox[-1].subject == "[Polis] Your account is banned"
    assert _notices(writer)[-1] == (
        "Your account has been banned from the archive: you can no longer log in. "
        "Reason: Spam account."
    )
    # The works of a banned account without deletion stay up, as AO3 keeps them.
    # (tests/visibility covers a suspended creator across every surface.)


def test_a_ban_with_deletion_removes_their_works_and_comments_in_batches(
    abuse, writer, make_user, make_work, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    monkeypatch.setattr(sanction_tasks, "WORKS_PER_BATCH", 2)
    monkeypatch.setattr(sanction_tasks, "COMMENTS_PER_BATCH", 2)
    friend = make_user("friend")
    own = [make_work(writer, title=f"Spam {n}") for n in range(3)]
    shared = work_create_shared(writer, friend)
    target = make_work(friend, title="Friend's Work")
    top, _ = comment_create(actor=writer, work=target, text="Buy now")
    reply, _ = comment_create(actor=friend, work=target, text="No thanks", parent=top)
    lone, _ = comment_create(actor=writer, work=target, text="Cheap pills")
    mine_reply, _ = comment_create(actor=writer, work=target, text="Really", parent=lone)
    kudos_give(actor=friend, work=own[0])

    with django_capture_on_commit_callbacks(execute=True):
        user_ban(actor=abuse, user=writer, reason="Spam account.", delete_content=True)

    assert not Work.objects.filter(pk__in=[w.pk for w in own]).exists()
    assert list(Work.objects.order_by("pk").values_list("title", flat=True)) == [
        shared.title,
        "Friend's Work",
    ]
    comments = {c.pk: (c.deleted, c.content) for c in Comment.objects.all()}
    # The comment others replied to stays as a placeholder; the rest of theirs is gone.
    assert comments == {top.pk: (True, ""), reply.pk: (False, "<p>No thanks</p>")}
    entry = AuditEntry.objects.get(verb="user.content_delete")
    assert entry.details == {"works": 3, "comments": 3}
    assert entry.actor_name == "abuse_staff"
    assert client_sees(own[0].get_absolute_url()) == 404


def work_create_shared(writer: User, friend: User) -> Work:
    """A work the writer and a friend both created (it survives the writer's ban)."""
    from polis.works.actions import ChapterInput, WorkInput

    return work_create(
        actor=writer,
        pseuds=[writer.pseuds.get()],
        data=WorkInput(
            title="Shared",
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=["Original Work"],
        ),
        chapter=ChapterInput(text="<p>Both of us.</p>"),
        co_creators=[friend.pseuds.get()],
        post=True,
    ) and _accept(friend)


def _accept(friend: User) -> Work:
    from polis.works.actions import creatorship_accept
    from polis.works.models import Creatorship

    invitation = Creatorship.objects.get(pseud__user=friend, accepted=False)
    creatorship_accept(actor=friend, creatorship=invitation)
    return invitation.work


def client_sees(url: str) -> int:
    return Client().get(url).status_code


def test_role_groups_exist_for_the_sanction_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        Role.POLICY_ABUSE,
        Role.SUPPORT,
    }


def test_suspending_again_replaces_the_end(abuse, suspended):
    user_suspend(actor=abuse, user=suspended, days=10, reason="Again.")
    suspended.refresh_from_db()
    assert suspended.suspended_until - timezone.now() > datetime.timedelta(days=9, hours=23)
    assert [verb for _, verb, _ in _entries(suspended)] == ["user.suspend", "user.suspend"]
