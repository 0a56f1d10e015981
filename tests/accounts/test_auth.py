"""Logging in and out, and resetting a forgotten password, through allauth's pages."""

import re

import pytest

from tests.accounts.conftest import PASSWORD

LOGIN_URL = "/accounts/login/"


def logged_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_login_page_has_heading_labels_and_forgot_password_link(client):
    response = client.get(LOGIN_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Log In | Polis</title>" in html
    assert '<h1 class="heading">Log In</h1>' in html
    assert '<label for="id_login">Username or e-mail' in html
    assert '<label for="id_password">Password' in html
    assert '<a href="/accounts/password/reset/">Forgot password?</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["alice", "alice@example.org"])
def test_login_with_username_or_email(client, alice, login):
    response = client.post(LOGIN_URL, {"login": login, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_user_id(client) == str(alice.pk)


@pytest.mark.django_db
def test_login_with_wrong_password_is_refused_with_summary(client, alice):
    response = client.post(LOGIN_URL, {"login": "alice", "password": "wrong-password"})

    html = response.content.decode()
    assert response.status_code == 200
    assert logged_in_user_id(client) is None
    assert "Sorry, we couldn't log you in:" in html
    assert 'value="alice"' in html


@pytest.mark.django_db
def test_logout_needs_post(alice_client, alice):
    page = alice_client.get("/accounts/logout/")
    assert page.status_code == 200
    assert '<h1 class="heading">Log Out</h1>' in page.content.decode()
    assert logged_in_user_id(alice_client) == str(alice.pk)

    response = alice_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert logged_in_user_id(alice_client) is None


@pytest.mark.django_db
def test_password_reset_mail_link_sets_a_new_password(client, alice, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "alice@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["alice@example.org"]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[0].body)
    assert link is not None

    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    assert '<h1 class="heading">Choose a New Password</h1>' in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    changed = client.post(
        set_url, {"password1": "a-brand-new-password", "password2": "a-brand-new-password"}
    )

    assert changed.status_code == 302
    assert changed["Location"] == "/accounts/password/reset/key/done/"
    alice.refresh_from_db()
    assert alice.check_password("a-brand-new-password")
    assert alice.password.startswith("argon2")
    client.post(LOGIN_URL, {"login": "alice", "password": "a-brand-new-password"})
    assert logged_in_user_id(client) == str(alice.pk)


@pytest.mark.django_db
def test_password_reset_link_cannot_be_used_twice(client, alice, mailoutbox):
    client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    path = re.search(r"http://testserver(\S+)", mailoutbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    client.post(set_url, {"password1": "a-brand-new-password", "password2": "a-brand-new-password"})

    again = client.get(path, follow=True)

    assert '<h1 class="heading">Invalid Link</h1>' in again.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accounts/email/", "E-mail Addresses"),
        ("/accounts/password/change/", "Change Password"),
        ("/accounts/logout/", "Log Out"),
    ],
)
def test_account_management_pages_use_site_layout(alice_client, url, heading):
    response = alice_client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert f"<title>{heading} | Polis</title>" in html
    assert f'<h1 class="heading">{heading}</h1>' in html
    assert '<header id="header" class="region">' in html


@pytest.mark.django_db
def test_password_change_keeps_user_logged_in(alice_client, alice):
    response = alice_client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "another-long-password",
            "password2": "another-long-password",
        },
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another-long-password")
    assert logged_in_user_id(alice_client) == str(alice.pk)


@pytest.mark.django_db
def test_mandatory_verification_page_uses_site_layout(client, settings, mailoutbox):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    response = client.post(
        "/accounts/signup/",
        {
            "username": "careful",
            "email": "careful@example.org",
            "password1": "correct-horse-battery-staple",
            "password2": "correct-horse-battery-staple",
        },
        follow=True,
    )

    html = response.content.decode()
    assert re.search(r'<h1 class="heading">\s*Verify Your Email Address\s*</h1>', html)
    assert '<header id="header" class="region">' in html
    assert len(mailoutbox) == 1
