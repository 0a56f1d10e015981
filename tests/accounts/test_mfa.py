"""Two-factor sign-in (allauth MFA): TOTP set up and used to log in with a code computed
here (RFC 6238), recovery codes, staff sent to set it up before staff pages; changing the
password ends the other sessions and, when asked, revokes the API tokens."""

import base64
import hashlib
import hmac
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.test import Client

from polis.api.actions import token_create
from polis.api.models import ApiToken
from tests.api.conftest import ApiClient

PASSWORD = "a-long-test-password"


def totp(secret: str, at: float | None = None) -> str:
    """The 6-digit code of a base32 secret for the 30-second window of `at` (RFC 6238)."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(
        base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def fresh_window() -> None:
    """Wait out the last seconds of a window, so a code is still valid when it arrives."""
    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30 + 0.1)


def password_login(user) -> tuple[Client, object]:
    client = Client()
    response = client.post("/accounts/login/", {"login": user.username, "password": PASSWORD})
    return client, response


def activate_totp(client: Client) -> str:
    """Set up an authenticator app as a user does: confirm the password, type a code."""
    asked = client.get("/accounts/2fa/totp/activate/")
    assert (
        asked["Location"] == "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    )
    confirmed = client.post(asked["Location"], {"password": PASSWORD})
    assert confirmed.status_code == 302
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()  # shown for typing into the app by hand
    fresh_window()
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp(secret)})
    assert response.status_code == 302, response.content.decode()
    return secret


@pytest.fixture(autouse=True)
def _staff_mfa_on(settings):
    settings.POLIS_STAFF_MFA_REQUIRED = True


@pytest.fixture
def staff(make_user):
    user = make_user("moderator", is_staff=True)
    for role in ("policy_abuse", "support"):
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def test_totp_login_with_a_real_code(make_user):
    user = make_user("writer")
    client, _ = password_login(user)
    secret = activate_totp(client)
    assert Authenticator.objects.filter(user=user, type="totp").count() == 1
    assert Authenticator.objects.filter(user=user, type="recovery_codes").count() == 1

    fresh, response = password_login(user)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert fresh.get("/settings").status_code == 302  # not logged in yet
    wrong = fresh.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert fresh.get("/settings").status_code == 302
    fresh_window()
    done = fresh.post("/accounts/2fa/authenticate/", {"code": totp(secret)})
    assert done.status_code == 302
    assert fresh.get("/settings").status_code == 200


def test_a_recovery_code_logs_in_once(make_user):
    user = make_user("writer")
    client, _ = password_login(user)
    activate_totp(client)
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes"))
    code = codes.get_unused_codes()[0]
    first, _ = password_login(user)
    assert first.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert first.get("/settings").status_code == 200
    again, _ = password_login(user)
    assert again.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200
    assert again.get("/settings").status_code == 302


STAFF_PAGES = [
    ("get", "/admin/"),
    ("get", "/tags/unwrangled"),
    ("get", "/tags/Fluff/edit"),
    ("get", "/moderation"),
    ("get", "/moderation/audit"),
    ("post", "/moderation/work/1/decide"),
    ("post", "/moderation/works/1/retag"),
    ("get", "/moderation/users/reader/sanctions"),
    ("post", "/moderation/users/reader/warn"),
    ("post", "/moderation/users/reader/suspend"),
    ("post", "/moderation/users/reader/unsuspend"),
    ("post", "/moderation/users/reader/ban"),
    ("post", "/moderation/users/reader/unban"),
    ("get", "/moderation/site_settings"),
    ("post", "/moderation/invitation_requests/release"),
]


@pytest.mark.parametrize("method, path", STAFF_PAGES)
def test_staff_without_mfa_are_sent_to_set_it_up(staff, make_user, method, path):
    reader = make_user("reader")
    client, _ = password_login(staff)
    response = getattr(client, method)(path, {"warn-reason": "Because."})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    reader.refresh_from_db()
    assert not reader.banned and reader.suspended_until is None


def test_the_report_page_does_not_ask_staff_for_a_second_factor(staff, make_user):
    client, _ = password_login(staff)
    response = client.get(f"/report/user/{make_user('reader').pk}")
    assert response.status_code == 200


def test_staff_with_mfa_reach_staff_pages_and_readers_are_never_redirected(make_user):
    boss = make_user("boss", is_superuser=True, is_staff=True)
    client, _ = password_login(boss)
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"
    activate_totp(client)
    assert client.get("/admin/").status_code == 200

    reader = make_user("reader")
    reading, _ = password_login(reader)
    assert reading.get("/tags/unwrangled").status_code != 302
    assert reading.get("/settings").status_code == 200


@pytest.mark.parametrize("revoke", [False, True])
def test_changing_the_password_ends_other_sessions(make_user, revoke):
    user = make_user("writer")
    token = token_create(actor=user, name="script")[1]
    other, _ = password_login(user)
    assert other.get("/settings").status_code == 200
    this, _ = password_login(user)
    page = this.get("/accounts/password/change/")
    assert 'name="revoke_tokens"' in page.content.decode()
    data = {
        "oldpassword": PASSWORD,
        "password1": "another-long-pass-9",
        "password2": "another-long-pass-9",
    }
    if revoke:
        data["revoke_tokens"] = "on"
    response = this.post("/accounts/password/change/", data)
    assert response.status_code == 302
    assert this.get("/settings").status_code == 200  # this session goes on
    assert other.get("/settings").status_code == 302  # the other one is over
    api = ApiClient(token)
    assert api.get("/me").status_code == (401 if revoke else 200)
    assert ApiToken.objects.filter(user=user).exists() is not revoke


def test_the_ao3_shaped_login_asks_for_the_code_too(make_user):
    user = make_user("writer")
    client, _ = password_login(user)
    secret = activate_totp(client)
    fresh = Client()
    response = fresh.post("/users/login", {"user[login]": "writer", "user[password]": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert fresh.get("/settings").status_code == 302
    fresh_window()
    assert fresh.post("/accounts/2fa/authenticate/", {"code": totp(secret)}).status_code == 302
    assert fresh.get("/settings").status_code == 200
