"""Pseuds: creating, editing, the one-name-per-user rule, and who may reach the forms."""

import pytest

from polis.accounts.actions import pseud_create
from polis.accounts.models import Pseud


def pseud_names(user) -> list[tuple[str, bool]]:
    return list(user.pseuds.order_by("-is_default", "name").values_list("name", "is_default"))


@pytest.mark.django_db
def test_create_pseud(alice_client, alice):
    response = alice_client.post(
        "/users/alice/pseuds/new", {"name": "Night Owl", "description": "Writes at <b>night</b>."}
    )

    assert response.status_code == 302
    assert response["Location"] == "/users/alice/pseuds/Night%20Owl"
    assert pseud_names(alice) == [("alice", True), ("Night Owl", False)]
    assert alice.pseuds.get(name="Night Owl").description == "<p>Writes at <b>night</b>.</p>"
    page = alice_client.get(response["Location"])
    assert page.status_code == 200
    assert "<p>Writes at <b>night</b>.</p>" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["night owl", "NIGHT OWL", "alice", "Alice"])
def test_duplicate_pseud_name_is_refused_in_any_case(alice_client, alice, name):
    pseud_create(actor=alice, name="Night Owl", description="")

    response = alice_client.post("/users/alice/pseuds/new", {"name": name, "description": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [f"You already have a pseud called “{name}”."]
    assert f'value="{name}"' in html
    assert "Sorry, we couldn't save this pseud because:" in html
    assert pseud_names(alice) == [("alice", True), ("Night Owl", False)]


@pytest.mark.django_db
def test_another_user_may_use_the_same_pseud_name(alice, bob):
    pseud_create(actor=alice, name="Night Owl", description="")
    pseud_create(actor=bob, name="Night Owl", description="")

    assert Pseud.objects.filter(name="Night Owl").count() == 2


@pytest.mark.django_db
def test_invalid_pseud_name_is_refused(alice_client, alice):
    response = alice_client.post("/users/alice/pseuds/new", {"name": "a/b", "description": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "A pseud name may contain only letters, numbers, spaces, underscores and hyphens."
    ]
    assert pseud_names(alice) == [("alice", True)]


@pytest.mark.django_db
def test_edit_pseud_renames_and_redescribes(alice_client, alice):
    pseud_create(actor=alice, name="Night Owl", description="old")

    form = alice_client.get("/users/alice/pseuds/night owl/edit")
    response = alice_client.post(
        "/users/alice/pseuds/Night Owl/edit", {"name": "Day Owl", "description": "new"}
    )

    assert form.status_code == 200
    assert 'value="Night Owl"' in form.content.decode()
    assert response.status_code == 302
    assert response["Location"] == "/users/alice/pseuds/Day%20Owl"
    assert pseud_names(alice) == [("alice", True), ("Day Owl", False)]
    assert alice.pseuds.get(name="Day Owl").description == "<p>new</p>"


@pytest.mark.django_db
def test_edit_pseud_refuses_name_of_another_own_pseud(alice_client, alice):
    pseud_create(actor=alice, name="Night Owl", description="")
    pseud_create(actor=alice, name="Day Owl", description="")

    response = alice_client.post(
        "/users/alice/pseuds/Day Owl/edit", {"name": "NIGHT owl", "description": "x"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "You already have a pseud called “NIGHT owl”."
    ]
    assert 'value="NIGHT owl"' in response.content.decode()
    assert alice.pseuds.get(name="Day Owl").description == ""


@pytest.mark.django_db
def test_default_pseud_keeps_the_username_when_edited(alice_client, alice):
    response = alice_client.post(
        "/users/alice/pseuds/alice/edit", {"name": "Someone Else", "description": "About me"}
    )

    assert response.status_code == 302
    assert pseud_names(alice) == [("alice", True)]
    assert alice.pseuds.get().description == "<p>About me</p>"


@pytest.mark.django_db
def test_pseud_pages_look_names_up_in_any_case(client, alice):
    pseud_create(actor=alice, name="Night Owl", description="")

    assert client.get("/users/ALICE/pseuds").status_code == 200
    assert client.get("/users/Alice/pseuds/NIGHT OWL").status_code == 200
    assert client.get("/users/alice/pseuds/night owl/works").status_code == 200
    assert client.get("/users/alice/pseuds/Nobody").status_code == 404
    assert client.get("/users/nobody/pseuds/alice").status_code == 404


OWNER_ONLY_PAGES = [
    "/users/alice/drafts",
    "/users/alice/creatorships",
    "/users/alice/pseuds/new",
    "/users/alice/pseuds/alice/edit",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", OWNER_ONLY_PAGES)
def test_owner_only_pages_send_anonymous_readers_to_log_in(client, alice, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("url", OWNER_ONLY_PAGES)
def test_owner_only_pages_are_404_for_another_user(client, alice, bob, url):
    client.force_login(bob)

    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", OWNER_ONLY_PAGES)
def test_owner_only_pages_are_404_for_an_admin(client, alice, make_user, url):
    client.force_login(make_user("staffer", is_staff=True, is_superuser=True))

    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", OWNER_ONLY_PAGES)
def test_owner_only_pages_open_for_the_owner(alice_client, url):
    assert alice_client.get(url).status_code == 200


@pytest.mark.django_db
def test_another_user_cannot_edit_or_add_pseuds_by_post(client, alice, bob):
    client.force_login(bob)

    edit = client.post("/users/alice/pseuds/alice/edit", {"name": "alice", "description": "pwned"})
    new = client.post("/users/alice/pseuds/new", {"name": "Intruder", "description": ""})

    assert edit.status_code == 404
    assert new.status_code == 404
    assert alice.pseuds.get().description == ""
    assert pseud_names(alice) == [("alice", True)]
    assert pseud_names(bob) == [("bob", True)]
