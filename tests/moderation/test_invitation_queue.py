"""The "get an invitation" queue: join, see your place, staff release N, sign up with it."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from polis.accounts.invitation_queue import invitation_request_create
from polis.accounts.models import Invitation, InvitationRequest, User
from polis.core.models import AuditEntry
from polis.moderation.site_admin import site_settings_change
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def queueing(support):
    site_settings_change(actor=support, signup="invitations", invitations_per_day=2)
    return support


def _join(client: Client, email: str):
    return client.post("/invite_requests", {"email": email})


def test_joining_shows_your_place_and_refuses_a_second_request(queueing, client):
    first = _join(client, "ann@example.org")
    second = _join(client, "bea@example.org")
    assert first.status_code == second.status_code == 302
    ann = InvitationRequest.objects.get(email="ann@example.org")
    assert first["Location"] == f"/invite_requests/{ann.token}"
    place = client.get(second["Location"]).content.decode()
    assert "You are number <strong>2</strong> in the queue." in place

    again = _join(client, "ANN@example.org")
    assert again.status_code == 400
    assert "This address is already in the queue." in again.content.decode()
    assert InvitationRequest.objects.count() == 2
    assert client.get("/invite_requests/not-a-token").status_code == 404


def test_the_queue_is_closed_unless_signup_is_by_invitation(support, client):
    page = client.get("/invite_requests").content.decode()
    assert "This archive is not taking invitation requests now." in page
    assert _join(client, "ann@example.org").status_code == 400
    assert not InvitationRequest.objects.exists()


def test_staff_release_the_oldest_and_each_gets_a_working_code(
    queueing, client, django_capture_on_commit_callbacks, settings
):
    settings.POLIS_SITE_URL = "https://archive.example"
    for name in ("ann", "bea", "cat"):
        invitation_request_create(email=f"{name}@example.org")
    staff = Client()
    staff.force_login(queueing)
    assert "3 addresses waiting." in staff.get("/moderation/site_settings").content.decode()
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post("/moderation/invitation_requests/release", {"count": "2"})
    assert response.status_code == 302

    assert [m.to for m in mail.outbox] == [["ann@example.org"], ["bea@example.org"]]
    ann = Invitation.objects.get(email="ann@example.org")
    assert f"https://archive.example/accounts/signup/?invitation={ann.token}" in (
        mail.outbox[0].body
    )
    cat = InvitationRequest.objects.get(email="cat@example.org")
    place = client.get(f"/invite_requests/{cat.token}").content.decode()
    assert "You are number <strong>1</strong> in the queue." in place
    entry = AuditEntry.objects.get(verb="invitation_requests.release")
    assert (entry.actor_name, entry.details) == ("support_staff", {"asked": 2, "released": 2})

    signed = client.post(
        "/accounts/signup/",
        {
            "invitation": ann.token,
            "username": "ann",
            "email": "ann@example.org",
            "password1": "a-long-test-password",
            "password2": "a-long-test-password",
        },
    )
    assert signed.status_code == 302
    ann.refresh_from_db()
    assert ann.used_by == User.objects.get(username="ann")


def test_the_daily_command_sends_the_days_number(queueing):
    for name in ("ann", "bea", "cat"):
        invitation_request_create(email=f"{name}@example.org")
    call_command("release_invitations")
    released = InvitationRequest.objects.filter(released_at__isnull=False)
    assert sorted(released.values_list("email", flat=True)) == [
        "ann@example.org",
        "bea@example.org",
    ]
    entry = AuditEntry.objects.get(verb="invitation_requests.release")
    assert (entry.actor_name, entry.role) == ("system", "")


def test_the_queue_through_the_api(queueing, make_user, token_for):
    guest = ApiClient()
    joined = guest.post("/invitation-requests", {"email": "dee@example.org"})
    assert joined.status_code == 201
    body = joined.json()
    assert body["position"] == 1 and body["released_at"] is None
    assert body["url"] == f"http://testserver/invite_requests/{body['token']}"
    twice = guest.post("/invitation-requests", {"email": "dee@example.org"})
    assert twice.status_code == 400
    assert twice.json()["errors"] == [
        {"field": "email", "message": "This address is already in the queue."}
    ]

    refused = ApiClient(token_for(make_user("nobody"))).post(
        "/moderation/invitation-requests/release", {"count": 5}
    )
    assert refused.status_code == 403
    released = ApiClient(token_for(queueing)).post("/moderation/invitation-requests/release", {})
    assert released.json() == {"sent": 1, "waiting": 0}
    shown = guest.get(f"/invitation-requests/{body['token']}").json()
    assert shown["position"] is None and shown["released_at"] is not None


def test_no_daily_release_when_staff_set_none(queueing):
    site_settings_change(actor=queueing, invitations_per_day=0)
    invitation_request_create(email="ann@example.org")
    call_command("release_invitations")
    assert not InvitationRequest.objects.filter(released_at__isnull=False).exists()
    assert not AuditEntry.objects.filter(verb="invitation_requests.release").exists()


def test_joining_is_rate_limited_per_address(queueing, client):
    for n in range(5):
        assert _join(client, f"person{n}@example.org").status_code == 302
    flood = _join(client, "person5@example.org")
    assert flood.status_code == 429
    assert int(flood["Retry-After"]) > 0
    assert InvitationRequest.objects.count() == 5


def test_the_support_role_without_staff_releases_nothing(queueing, staff_with, token_for):
    """A role on an account that is not staff gives nothing: 403 on the page and the API, the
    action refuses, nothing is released or recorded."""
    from django.core.exceptions import PermissionDenied

    from polis.accounts.invitation_queue import invitation_requests_release
    from polis.accounts.roles import Role

    invitation_request_create(email="ann@example.org")
    holder = staff_with(Role.SUPPORT, "not_staff")
    web = Client()
    web.force_login(holder)
    assert web.get("/moderation/site_settings").status_code == 403
    assert web.post("/moderation/invitation_requests/release", {"count": "1"}).status_code == 403
    api = ApiClient(token_for(holder)).post("/moderation/invitation-requests/release", {})
    assert api.status_code == 403
    assert api.json()["detail"] == "Only support staff and superadmins can change site settings."
    with pytest.raises(PermissionDenied) as refused:
        invitation_requests_release(actor=holder, count=1)
    assert str(refused.value) == "Only support staff and superadmins can release invitations."
    assert not InvitationRequest.objects.filter(released_at__isnull=False).exists()
    assert not AuditEntry.objects.filter(verb="invitation_requests.release").exists()
