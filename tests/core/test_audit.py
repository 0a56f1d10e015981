"""The audit log is append-only and outlives its actor."""

import pytest

from polis.accounts.roles import Role, has_role, roles_of
from polis.core.audit import record
from polis.core.models import AuditEntry


@pytest.mark.django_db
def test_entries_cannot_change_and_survive_their_actor(make_user):
    staff = make_user("moderator")
    entry = record(
        actor=staff,
        verb="work.hide",
        target_type="work",
        target_id=7,
        target_label="A Work",
        reason="spam",
        role=Role.POLICY_ABUSE,
    )
    entry.reason = "changed"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    staff.delete()
    kept = AuditEntry.objects.get()
    assert (kept.actor, kept.actor_name, kept.target_id, kept.reason) == (
        None,
        "moderator",
        "7",
        "spam",
    )


@pytest.mark.django_db
def test_roles_come_from_groups_and_superusers_hold_all(make_user):
    from django.contrib.auth.models import Group

    reader = make_user()
    assert roles_of(reader) == frozenset()
    moderator = make_user()
    moderator.groups.add(Group.objects.get(name=Role.POLICY_ABUSE))
    assert has_role(moderator, Role.POLICY_ABUSE)
    assert not has_role(moderator, Role.SUPPORT)
    wrangler = make_user(is_tag_wrangler=True)
    assert roles_of(wrangler) == frozenset({Role.TAG_WRANGLING})
    admin = make_user(is_superuser=True)
    assert has_role(admin, Role.ARCHIVIST)
