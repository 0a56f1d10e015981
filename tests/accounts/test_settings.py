"""The settings page: username change (which renames the default pseud) and preferences."""

import pytest

from tests.accounts.conftest import PASSWORD


def change_username(client, new_username: str, password: str = PASSWORD):
    return client.post(
        "/settings",
        {
            "username-username": new_username,
            "username-password": password,
            "change_username": "1",
        },
    )


@pytest.mark.django_db
def test_settings_needs_login(client):
    response = client.get("/settings")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/settings"


@pytest.mark.django_db
def test_settings_links_to_email_and_password_pages(alice_client):
    html = alice_client.get("/settings").content.decode()

    assert '<a href="/accounts/email/">Manage E-mail Addresses</a>' in html
    assert '<a href="/accounts/password/change/">Change Password</a>' in html
    assert '<label for="id_username-username">New username' in html
    assert '<label for="id_preferences-view_adult">Show me adult content' in html


@pytest.mark.django_db
def test_username_change_renames_default_pseud(alice_client, alice):
    response = change_username(alice_client, "Alicia")

    assert response.status_code == 302
    assert response["Location"] == "/settings"
    assert "Your username is now Alicia." in alice_client.get("/settings").content.decode()
    alice.refresh_from_db()
    assert alice.username == "Alicia"
    assert list(alice.pseuds.values_list("name", "is_default")) == [("Alicia", True)]
    assert alice_client.get("/users/Alicia/pseuds/Alicia").status_code == 200
    assert alice_client.get("/users/alice").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("taken", ["bob", "BOB", "Bob"])
def test_username_change_refuses_taken_name_keeping_typed_value(alice_client, alice, bob, taken):
    response = change_username(alice_client, taken)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["username_form"].errors["username"] == [
        "That username is already taken."
    ]
    assert f'value="{taken}"' in html
    assert "Your username is <strong>alice</strong>." in html
    assert (
        '<div class="notice error" role="alert" id="error" tabindex="-1" autofocus '
        'aria-labelledby="error-heading">' in html
    )
    alice.refresh_from_db()
    assert alice.username == "alice"
    assert list(alice.pseuds.values_list("name", flat=True)) == ["alice"]


@pytest.mark.django_db
def test_username_change_refuses_wrong_password(alice_client, alice):
    response = change_username(alice_client, "Alicia", password="not-my-password")

    assert response.status_code == 200
    assert response.context["username_form"].errors["password"] == [
        "That is not your current password."
    ]
    alice.refresh_from_db()
    assert alice.username == "alice"


@pytest.mark.django_db
def test_username_change_refuses_reserved_name(alice_client, alice):
    response = change_username(alice_client, "Anonymous")

    assert response.status_code == 200
    assert response.context["username_form"].errors["username"] == [
        "That username is reserved; please choose another."
    ]
    alice.refresh_from_db()
    assert alice.username == "alice"


@pytest.mark.django_db
def test_username_change_only_in_case_is_allowed(alice_client, alice):
    change_username(alice_client, "ALICE")

    alice.refresh_from_db()
    assert alice.username == "ALICE"
    assert list(alice.pseuds.values_list("name", "is_default")) == [("ALICE", True)]


@pytest.mark.django_db
def test_preferences_save_view_adult(alice_client, alice):
    response = alice_client.post(
        "/settings", {"preferences-view_adult": "on", "save_preferences": "1"}
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.view_adult is True

    alice_client.post("/settings", {"save_preferences": "1"})
    alice.refresh_from_db()
    assert alice.view_adult is False


@pytest.mark.django_db
def test_saving_preferences_does_not_touch_username(alice_client, alice):
    alice_client.post(
        "/settings",
        {
            "username-username": "ignored_name",
            "preferences-view_adult": "on",
            "save_preferences": "1",
        },
    )

    alice.refresh_from_db()
    assert alice.username == "alice"
    assert alice.view_adult is True
