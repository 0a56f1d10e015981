"""Staff roles and the flags that make staff: granted and revoked through one action each,
from `polis role` and the admin's user page, every change in the audit log; only superadmins
(and the operator at the command line) change them."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client

from polis.accounts.models import User
from polis.accounts.role_actions import role_grant, role_revoke, user_set_flags
from polis.accounts.roles import Role, roles_of
from polis.core.models import AuditEntry
from polis.moderation.sanctions import user_ban
from tests.api.conftest import ApiClient
from tests.works.support import admin_change_form

pytestmark = pytest.mark.django_db


def _entries() -> list[tuple[str, str, str, dict]]:
    rows = AuditEntry.objects.order_by("id")
    return [(e.actor_name, e.verb, e.target_label, e.details) for e in rows]


def _roles(username: str) -> frozenset[str]:
    return roles_of(User.objects.get(username=username))


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("role", *args, stdout=out)
    return out.getvalue()


def test_the_command_grants_lists_and_revokes_roles_and_records_each(make_user):
    make_user("alice")
    make_user("wren", is_tag_wrangler=True)

    granted = _run("grant", "alice", "policy_abuse", "--staff", "--reason", "New moderator.")
    assert granted == "alice now holds policy_abuse.\n"
    assert _run("grant", "alice", "policy_abuse") == "alice already held policy_abuse.\n"
    assert _run("list") == "alice\tstaff\tpolicy_abuse\nwren\tnot staff\ttag_wrangling\n"
    assert _run("revoke", "wren", "tag_wrangling") == "wren no longer holds tag_wrangling.\n"
    assert _run("revoke", "wren", "tag_wrangling") == "wren did not hold tag_wrangling.\n"

    alice = User.objects.get(username="alice")
    assert alice.is_staff and _roles("alice") == {Role.POLICY_ABUSE}
    assert _roles("wren") == frozenset()
    assert not User.objects.get(username="wren").is_tag_wrangler
    assert _entries() == [
        ("system", "role.grant", "alice", {"role": "policy_abuse"}),
        ("system", "user.flags", "alice", {"is_staff": [False, True]}),
        ("system", "role.revoke", "wren", {"role": "tag_wrangling"}),
    ]
    assert AuditEntry.objects.get(verb="role.grant").reason == "New moderator."


def test_the_command_says_when_a_staff_role_opens_nothing_yet(make_user):
    make_user("bea")
    out = _run("grant", "bea", "support")
    assert out == (
        "bea now holds support.\n"
        "bea is not staff, so the role opens no staff tool yet: grant it again with --staff.\n"
    )


def test_the_command_refuses_unknown_users_and_roles(make_user):
    with pytest.raises(CommandError, match="No user named 'nobody'."):
        _run("grant", "nobody", "support")
    make_user("alice")
    with pytest.raises(CommandError, match="invalid choice: 'janitor'"):
        _run("grant", "alice", "janitor")
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "who",
    ["reader", "policy_abuse_staff", "superadmin_not_staff"],
)
def test_only_superadmins_change_roles_and_flags(who, make_user):
    actor = make_user("actor", is_staff=who != "reader" and who != "superadmin_not_staff")
    if who == "policy_abuse_staff":
        actor.groups.add(Group.objects.get(name=Role.POLICY_ABUSE))
    if who == "superadmin_not_staff":
        actor.groups.add(Group.objects.get(name=Role.SUPERADMIN))
    target = make_user("target")
    from django.core.exceptions import PermissionDenied

    for call in (
        lambda: role_grant(actor=actor, user=target, role=Role.SUPPORT),
        lambda: role_revoke(actor=actor, user=target, role=Role.SUPPORT),
        lambda: user_set_flags(actor=actor, user=target, is_staff=True),
    ):
        with pytest.raises(PermissionDenied) as refused:
            call()
        assert str(refused.value) == "Only superadmins can grant or revoke roles and staff flags."
    target.refresh_from_db()
    assert not target.is_staff and _roles("target") == frozenset()
    assert not AuditEntry.objects.exists()


def test_a_banned_account_is_made_active_only_by_lifting_the_ban(make_user):
    from django.core.exceptions import ValidationError

    chief = make_user("chief", is_staff=True, is_superuser=True)
    spammer = make_user("spammer")
    user_ban(actor=chief, user=spammer, reason="Spam.")
    with pytest.raises(ValidationError) as refused:
        user_set_flags(actor=chief, user=spammer, is_active=True)
    assert "This account is banned: lift the ban on its sanctions page" in refused.value.messages[0]
    spammer.refresh_from_db()
    assert not spammer.is_active
    assert [verb for _, verb, _, _ in _entries()] == ["user.ban"]


@pytest.fixture
def chief(make_user) -> Client:
    client = Client()
    client.force_login(make_user("chief", is_staff=True, is_superuser=True))
    return client


def _save(client: Client, user: User, **changes):
    data = admin_change_form(client, f"/admin/accounts/user/{user.pk}/change/", "form#user_form")
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return client.post(f"/admin/accounts/user/{user.pk}/change/", data)


def test_roles_and_flags_changed_in_the_admin_are_recorded(chief, make_user):
    alice = make_user("alice")
    abuse = Group.objects.get(name=Role.POLICY_ABUSE)
    other, _ = Group.objects.get_or_create(name="newsletter")

    response = _save(chief, alice, groups=[str(abuse.pk), str(other.pk)], is_staff="on")

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.is_staff
    assert sorted(alice.groups.values_list("name", flat=True)) == ["newsletter", "policy_abuse"]
    assert _entries() == [
        ("chief", "user.flags", "alice", {"is_staff": [False, True]}),
        ("chief", "role.grant", "alice", {"role": "policy_abuse"}),
    ]
    assert {e.role for e in AuditEntry.objects.all()} == {Role.SUPERADMIN}

    response = _save(chief, alice, groups=[str(other.pk)], is_staff=None)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert not alice.is_staff and _roles("alice") == frozenset()
    assert _entries()[2:] == [
        ("chief", "user.flags", "alice", {"is_staff": [True, False]}),
        ("chief", "role.revoke", "alice", {"role": "policy_abuse"}),
    ]


def test_the_wrangler_flag_is_read_only_in_the_admin(chief, make_user):
    alice = make_user("alice")
    page = chief.get(f"/admin/accounts/user/{alice.pk}/change/").content.decode()
    assert 'name="is_tag_wrangler"' not in page
    assert _save(chief, alice, is_tag_wrangler="on").status_code == 302
    alice.refresh_from_db()
    assert not alice.is_tag_wrangler
    assert not AuditEntry.objects.exists()


def test_staff_who_are_not_superadmins_change_no_roles_in_the_admin(make_user):
    from django.contrib.auth.models import Permission

    clerk = make_user("clerk", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    client = Client()
    client.force_login(clerk)
    alice = make_user("alice")
    abuse = Group.objects.get(name=Role.POLICY_ABUSE)

    response = _save(client, alice, groups=[str(abuse.pk)], is_superuser="on")

    assert response.status_code == 302
    assert response["Location"] == f"/admin/accounts/user/{alice.pk}/change/"
    alice.refresh_from_db()
    assert not alice.is_superuser and _roles("alice") == frozenset()
    assert not AuditEntry.objects.exists()
    shown = client.get(response["Location"]).content.decode()
    assert "Only superadmins can grant or revoke roles and staff flags." in shown


def test_a_ban_is_not_lifted_by_ticking_active_in_the_admin(chief, make_user):
    spammer = make_user("spammer")
    user_ban(actor=User.objects.get(username="chief"), user=spammer, reason="Spam.")

    response = _save(chief, spammer, is_active="on")

    assert response.status_code == 302
    spammer.refresh_from_db()
    assert (spammer.is_active, spammer.banned) == (False, True)
    assert [verb for _, verb, _, _ in _entries()] == ["user.ban"]


def test_roles_through_the_api(make_user):
    from polis.api.actions import token_create

    def token_for(user: User) -> str:
        return token_create(actor=user, name="test")[1]

    chief = make_user("chief", is_staff=True, is_superuser=True)
    alice = make_user("alice")
    api = ApiClient(token_for(chief))

    granted = api.post("/moderation/users/alice/roles/support", {"reason": "Helps.", "staff": True})
    assert granted.status_code == 200
    assert granted.json() == {"username": "alice", "staff": True, "roles": ["support"]}
    assert api.get("/moderation/roles").json() == [
        {"username": "alice", "staff": True, "roles": ["support"]},
        {"username": "chief", "staff": True, "roles": sorted(Role.values)},
    ]
    revoked = api.delete("/moderation/users/alice/roles/support?reason=Left.")
    assert revoked.json() == {"username": "alice", "staff": True, "roles": []}
    assert api.post("/moderation/users/alice/roles/janitor", {}).status_code == 404
    assert _entries() == [
        ("chief", "role.grant", "alice", {"role": "support"}),
        ("chief", "user.flags", "alice", {"is_staff": [False, True]}),
        ("chief", "role.revoke", "alice", {"role": "support"}),
    ]
    assert AuditEntry.objects.get(verb="role.revoke").reason == "Left."

    refused = ApiClient(token_for(alice)).post("/moderation/users/alice/roles/superadmin", {})
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only superadmins can grant or revoke roles."
    assert ApiClient(token_for(alice)).get("/moderation/roles").status_code == 403
    assert AuditEntry.objects.count() == 3
