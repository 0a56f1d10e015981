"""Creating accounts: the sign-up page under each policy, createsuperuser, the manager."""

import pytest
from django.core.management import call_command

from polis.accounts.actions import invitation_create, invitation_redeem
from polis.accounts.models import Invitation, Pseud, User
from polis.core.site_settings import site_settings_update

SIGNUP_URL = "/accounts/signup/"
NEW_PASSWORD = "correct-horse-battery-staple"


def signup_data(username: str = "new_writer", **extra) -> dict:
    return {
        "username": username,
        "email": f"{username}@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **extra,
    }


@pytest.mark.django_db
def test_signup_creates_user_with_argon2_hash_and_default_pseud(client):
    response = client.post(SIGNUP_URL, signup_data("New_Writer"))

    assert response.status_code == 302
    user = User.objects.get(username="New_Writer")
    assert user.password.startswith("argon2")
    assert user.check_password(NEW_PASSWORD)
    assert user.email == "new_writer@example.org"
    assert list(user.pseuds.values_list("name", "is_default")) == [("New_Writer", True)]
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_signup_page_renders_inside_site_layout(client):
    response = client.get(SIGNUP_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Sign Up | Polis</title>" in html
    assert '<h1 class="heading">Sign Up</h1>' in html
    assert '<label for="id_username">Username' in html
    assert 'name="invitation"' not in html


@pytest.mark.django_db
def test_signup_refuses_reserved_username(client):
    response = client.post(SIGNUP_URL, signup_data("Admin"))

    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "That username is reserved; please choose another."
    ]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_refuses_username_taken_in_other_case(client, make_user):
    make_user("lexa")

    response = client.post(SIGNUP_URL, signup_data("LEXA"))

    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert list(User.objects.values_list("username", flat=True)) == ["lexa"]


@pytest.mark.django_db
def test_invitation_mode_refuses_signup_without_code(client, settings):
    site_settings_update(actor=None, signup="invitations")  # staff set it (site settings)

    response = client.post(SIGNUP_URL, signup_data())

    assert response.status_code == 200
    assert response.context["form"].errors["invitation"] == ["This field is required."]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_invitation_mode_refuses_unknown_code(client, settings):
    site_settings_update(actor=None, signup="invitations")  # staff set it (site settings)

    response = client.post(SIGNUP_URL, signup_data(invitation="not-a-code"))

    assert response.status_code == 200
    assert response.context["form"].errors["invitation"] == [
        "This invitation code is not valid or has already been used."
    ]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_invitation_code_works_exactly_once(client, settings):
    site_settings_update(actor=None, signup="invitations")  # staff set it (site settings)
    invitation = invitation_create(email="friend@example.org")

    first = client.post(SIGNUP_URL, signup_data("first_friend", invitation=invitation.token))
    client.logout()
    second = client.post(SIGNUP_URL, signup_data("second_friend", invitation=invitation.token))

    assert first.status_code == 302
    user = User.objects.get(username="first_friend")
    invitation.refresh_from_db()
    assert invitation.used_by == user
    assert invitation.used_at is not None
    assert list(user.pseuds.values_list("name", flat=True)) == ["first_friend"]
    assert second.status_code == 200
    assert second.context["form"].errors["invitation"] == [
        "This invitation code is not valid or has already been used."
    ]
    assert list(User.objects.values_list("username", flat=True)) == ["first_friend"]


@pytest.mark.django_db
def test_invitation_code_is_prefilled_from_link(client, settings):
    site_settings_update(actor=None, signup="invitations")  # staff set it (site settings)

    response = client.get(SIGNUP_URL + "?invitation=abc123")

    assert response.status_code == 200
    assert response.context["form"]["invitation"].value() == "abc123"
    assert '<label for="id_invitation">Invitation code' in response.content.decode()


@pytest.mark.django_db
def test_closed_signup_shows_closed_page_and_creates_nobody(client, settings):
    site_settings_update(actor=None, signup="closed")  # staff set it (site settings)

    page = client.get(SIGNUP_URL)
    posted = client.post(SIGNUP_URL, signup_data())

    assert page.status_code == 200
    assert '<h1 class="heading">Sign Up Closed</h1>' in page.content.decode()
    assert "Sign Up Closed" in posted.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_createsuperuser_gets_default_pseud(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", NEW_PASSWORD)

    call_command(
        "createsuperuser",
        "--noinput",
        username="site_owner",
        email="owner@example.org",
        verbosity=0,
    )

    user = User.objects.get(username="site_owner")
    assert user.is_superuser
    assert user.password.startswith("argon2")
    assert list(Pseud.objects.filter(user=user).values_list("name", "is_default")) == [
        ("site_owner", True)
    ]


@pytest.mark.django_db
def test_create_user_gets_exactly_one_default_pseud():
    user = User.objects.create_user("plain", "plain@example.org", NEW_PASSWORD)

    assert list(user.pseuds.values_list("name", "is_default")) == [("plain", True)]
    assert Invitation.objects.count() == 0


@pytest.mark.django_db
def test_code_used_between_check_and_save_creates_nobody(client, settings, monkeypatch, alice):
    """Two sign-ups racing for one code: the form's check passed, the redemption refuses."""
    site_settings_update(actor=None, signup="invitations")  # staff set it (site settings)
    invitation = invitation_create()
    invitation_redeem(token=invitation.token, user=alice)
    monkeypatch.setattr("polis.accounts.forms.invitation_usable", lambda token: True)

    response = client.post(SIGNUP_URL, signup_data("late_friend", invitation=invitation.token))

    assert response.status_code == 302
    assert response["Location"] == SIGNUP_URL
    assert not User.objects.filter(username="late_friend").exists()
    assert not Pseud.objects.filter(name="late_friend").exists()
    page = client.get(SIGNUP_URL)
    assert "This invitation code is not valid or has already been used." in page.content.decode()
