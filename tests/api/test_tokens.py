"""Personal API tokens: the page, the command and the actions; only hashes are stored."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from polis.api.actions import token_create, token_revoke
from polis.api.models import ApiToken
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_token_create_stores_only_a_hash(alice):
    token, plain = token_create(actor=alice, name="  reader  ")

    assert token.name == "reader"
    assert token.key_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert token.prefix == plain[:8]
    assert plain not in {token.key_hash, token.prefix}
    assert len(plain) >= 40


def test_a_revoked_token_stops_working(alice):
    token, plain = token_create(actor=alice, name="reader")
    assert ApiClient(plain).get("/me").status_code == 200

    token_revoke(actor=alice, token=token)

    assert ApiClient(plain).get("/me").status_code == 401


def test_using_a_token_records_when(alice):
    token, plain = token_create(actor=alice, name="reader")

    ApiClient(plain).get("/works")

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_deactivated_users_token_is_refused(alice):
    _, plain = token_create(actor=alice, name="reader")
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    assert ApiClient(plain).get("/me").status_code == 401


def test_command_prints_only_a_token_that_authenticates(alice):
    out = StringIO()

    call_command("token", "create", "alice", "--name", "backup script", stdout=out)

    plain = out.getvalue().strip()
    assert "\n" not in plain
    assert ApiToken.objects.get().name == "backup script"
    response = ApiClient(plain).get("/me")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_command_lists_and_revokes(alice):
    token, plain = token_create(actor=alice, name="reader")
    out = StringIO()

    call_command("token", "list", "alice", stdout=out)
    assert out.getvalue().startswith(f"{token.pk}\t{token.prefix}…\treader\t")
    assert plain not in out.getvalue()

    call_command("token", "revoke", str(token.pk), stdout=StringIO())
    assert ApiToken.objects.count() == 0


def test_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("token", "create", "nobody", stdout=StringIO())


def test_tokens_page_needs_login(client):
    response = client.get("/settings/tokens")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_tokens_page_makes_a_token_and_shows_it_once(alice, client):
    client.force_login(alice)

    page = client.get("/settings/tokens")
    assert page.status_code == 200
    assert '<label for="id_name">Token name' in page.content.decode()

    created = client.post("/settings/tokens", {"create": "1", "name": "e-reader"})

    assert created.status_code == 200
    assert created["Cache-Control"] == "no-store"
    plain = created.context["new_token"]
    assert f'value="{plain}"' in created.content.decode()
    assert ApiClient(plain).get("/me").json()["username"] == "alice"
    again = client.get("/settings/tokens").content.decode()
    assert plain not in again
    assert f"{plain[:8]}…" in again


def test_tokens_page_refuses_a_blank_name(alice, client):
    client.force_login(alice)

    response = client.post("/settings/tokens", {"create": "1", "name": ""})

    assert response.status_code == 400
    assert ApiToken.objects.count() == 0


def test_tokens_page_revokes_own_token(alice, client):
    token, _ = token_create(actor=alice, name="old")
    client.force_login(alice)

    response = client.post("/settings/tokens", {"revoke": str(token.pk)})

    assert response.status_code == 302
    assert ApiToken.objects.count() == 0


def test_tokens_page_cannot_revoke_another_users_token(alice, bob, client):
    token, plain = token_create(actor=bob, name="bobs")
    client.force_login(alice)

    response = client.post("/settings/tokens", {"revoke": str(token.pk)})

    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert ApiClient(plain).get("/me").json()["username"] == "bob"


def test_admin_lists_tokens_without_their_secrets(alice, make_user, client):
    token, plain = token_create(actor=alice, name="reader")
    client.force_login(make_user("root", is_staff=True, is_superuser=True))

    page = client.get("/admin/api/apitoken/").content.decode()

    assert "reader" in page
    assert token.prefix in page
    assert plain not in page
    assert token.key_hash not in page
