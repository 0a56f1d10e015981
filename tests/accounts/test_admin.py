"""The admin: users made there get their default pseud; the account pages load."""

import pytest

from polis.accounts.actions import invitation_create
from polis.accounts.models import Invitation, User


@pytest.fixture
def admin_client_(client, make_user):
    client.force_login(make_user("staffer", is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
def test_user_added_in_admin_gets_default_pseud(admin_client_):
    response = admin_client_.post(
        "/admin/accounts/user/add/",
        {
            "username": "from_admin",
            "usable_password": "true",
            "password1": "a-long-admin-password",
            "password2": "a-long-admin-password",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="from_admin")
    assert list(user.pseuds.values_list("name", "is_default")) == [("from_admin", True)]


@pytest.mark.django_db
def test_admin_pages_load(admin_client_, alice):
    invitation_create(email="friend@example.org")
    for url in [
        "/admin/accounts/user/",
        f"/admin/accounts/user/{alice.pk}/change/",
        "/admin/accounts/pseud/?q=alice",
        "/admin/accounts/invitation/",
        "/admin/accounts/invitation/add/",
    ]:
        assert admin_client_.get(url).status_code == 200, url


@pytest.mark.django_db
def test_invitation_added_in_admin_records_creator(admin_client_):
    response = admin_client_.post(
        "/admin/accounts/invitation/add/", {"email": "friend@example.org"}
    )

    assert response.status_code == 302
    made = Invitation.objects.get()
    assert made.email == "friend@example.org"
    assert made.created_by == User.objects.get(username="staffer")
    assert made.used_by is None


@pytest.mark.django_db
def test_pseud_description_edited_in_admin_is_sanitized(admin_client_, alice):
    pseud = alice.pseuds.get()

    response = admin_client_.post(
        f"/admin/accounts/pseud/{pseud.pk}/change/",
        {"description": "<script>alert(1)</script><b>Hello</b>"},
    )

    assert response.status_code == 302
    pseud.refresh_from_db()
    assert pseud.description == "<p><b>Hello</b></p>"
    assert pseud.name == "alice"


@pytest.mark.django_db
def test_username_is_read_only_in_admin_change_form(admin_client_, alice):
    html = admin_client_.get(f"/admin/accounts/user/{alice.pk}/change/").content.decode()

    assert 'name="username"' not in html
