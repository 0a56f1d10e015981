"""In a real Chromium, keyboard only: a moderator signs in, finds a guest's report in the
queue, writes a reason and hides the reported work."""

import importlib

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from playwright.sync_api import expect

from polis.accounts.roles import Role
from polis.core.models import AuditEntry
from polis.moderation.actions import report_create
from polis.moderation.models import Report, ReportStatus
from polis.moderation.targets import find_target
from polis.works.models import Work

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _fixed_tags(db):
    """Earlier transactional tests flush the fixed tags a data migration made: make them."""
    from django.apps import apps

    importlib.import_module("polis.tags.migrations.0002_fixed_tags").create(apps, None)


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_a_moderator_hides_a_reported_work_with_the_keyboard_only(
    page, live_server, make_user, make_work
):
    creator = make_user("quill")
    work = make_work(creator, title="Salt Roads")
    report_create(
        actor=AnonymousUser(),
        target=find_target("work", work.pk),
        reason="harassment",
        text="It names a real person.",
        email="watcher@example.org",
        rate_key="ip:test",
    )
    warden = make_user("warden", is_staff=True)
    warden.groups.add(Group.objects.get_or_create(name=Role.POLICY_ABUSE)[0])

    page.goto(f"{live_server.url}/accounts/login/?next=/moderation")
    _tab_to(page, "input[name=login]")
    page.keyboard.type("warden")
    page.keyboard.press("Tab")
    page.keyboard.type("a-long-test-password")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Moderation queue")).to_be_visible()

    group = page.locator(f"section#target-work-{work.pk}")
    expect(group).to_contain_text("It names a real person.")
    expect(group).to_contain_text("watcher@example.org")
    _tab_to(page, f"#reason-target-work-{work.pk}")
    page.keyboard.type("Harassment of a real person.")
    _tab_to(page, f"section#target-work-{work.pk} button[value=hide]")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Done: hide “Salt Roads”.")).to_be_visible()
    expect(page.get_by_text("No open reports.")).to_be_visible()
    assert Work.objects.get(pk=work.pk).hidden is True
    assert Report.objects.get().status == ReportStatus.RESOLVED
    entry = AuditEntry.objects.get()
    assert (entry.actor_name, entry.verb, entry.reason) == (
        "warden",
        "work.hide",
        "Harassment of a real person.",
    )
