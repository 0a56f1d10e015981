"""Account actions called directly: set-up, username changes, invitations, the invite command."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from polis.accounts.actions import (
    invitation_create,
    invitation_redeem,
    pseud_create,
    pseud_update,
    user_change_username,
    user_setup,
)
from polis.accounts.models import Invitation


@pytest.mark.django_db
def test_user_setup_is_idempotent(alice):
    first = user_setup(user=alice)
    second = user_setup(user=alice)

    assert first.pk == second.pk
    assert list(alice.pseuds.values_list("name", "is_default")) == [("alice", True)]


@pytest.mark.django_db
def test_username_change_onto_own_pseud_makes_it_the_default(alice):
    pseud_create(actor=alice, name="Nightowl", description="")

    user_change_username(actor=alice, new_username="NightOwl")

    assert alice.username == "NightOwl"
    assert list(alice.pseuds.order_by("-is_default", "name").values_list("name", "is_default")) == [
        ("NightOwl", True),
        ("alice", False),
    ]


@pytest.mark.django_db
def test_username_change_reports_field_errors(alice, bob):
    with pytest.raises(ValidationError) as taken:
        user_change_username(actor=alice, new_username="BoB")
    with pytest.raises(ValidationError) as invalid:
        user_change_username(actor=alice, new_username="no spaces")

    assert taken.value.message_dict == {"username": ["That username is already taken."]}
    assert list(invalid.value.message_dict) == ["username"]
    alice.refresh_from_db()
    assert alice.username == "alice"


@pytest.mark.django_db
def test_pseud_update_refuses_another_users_pseud(alice, bob):
    with pytest.raises(PermissionDenied):
        pseud_update(actor=bob, pseud=alice.pseuds.get(), name="alice", description="mine now")

    assert alice.pseuds.get().description == ""


@pytest.mark.django_db
def test_invitation_redeem_refuses_a_used_or_unknown_code(alice, bob):
    invitation = invitation_create(email="friend@example.org")
    invitation_redeem(token=invitation.token, user=alice)

    with pytest.raises(ValidationError) as used:
        invitation_redeem(token=invitation.token, user=bob)
    with pytest.raises(ValidationError) as unknown:
        invitation_redeem(token="no-such-code", user=bob)

    message = {"invitation": ["This invitation code is not valid or has already been used."]}
    assert used.value.message_dict == message
    assert unknown.value.message_dict == message
    invitation.refresh_from_db()
    assert invitation.used_by == alice


@pytest.mark.django_db
def test_invitation_create_refuses_bad_email():
    with pytest.raises(ValidationError) as excinfo:
        invitation_create(email="not an email")

    assert list(excinfo.value.message_dict) == ["email"]
    assert Invitation.objects.count() == 0


@pytest.mark.django_db
def test_invite_command_prints_usable_codes():
    out = io.StringIO()

    call_command("invite", "--count", "3", "--email", "friend@example.org", stdout=out)

    codes = out.getvalue().split()
    assert len(codes) == 3
    assert sorted(codes) == sorted(Invitation.objects.values_list("token", flat=True))
    assert set(Invitation.objects.values_list("email", "used_by", "created_by")) == {
        ("friend@example.org", None, None)
    }


@pytest.mark.django_db
def test_invite_command_refuses_zero_count():
    with pytest.raises(CommandError, match="--count must be at least 1."):
        call_command("invite", "--count", "0", stdout=io.StringIO())
