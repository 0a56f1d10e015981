"""One report walked end to end, as a moderator would: a guest reports a work, staff hide it
from the queue, suspend its creator from the link beside it, and the suspension expires; the
audit log holds each step."""

import datetime

import pytest
from django.utils import timezone

from polis.accounts.standing import may_participate
from polis.core.models import AuditEntry
from polis.moderation.models import Report, ReportStatus
from tests.moderation.conftest import client_as, text

pytestmark = pytest.mark.django_db


def test_a_guest_report_to_a_hide_a_suspension_and_its_expiry(
    make_user, make_work, moderator, django_capture_on_commit_callbacks
):
    creator = make_user("quill")
    work = make_work(creator, title="Salt Roads")
    other = make_work(title="Someone Else's")
    guest = client_as()
    guest.post(
        f"/report/work/{work.pk}",
        {"reason": "spam", "text": "Ads in every chapter.", "email": "watcher@example.org"},
    )
    assert Report.objects.get().status == ReportStatus.OPEN

    staff = client_as(moderator)
    queue = text(staff.get("/moderation"))
    assert 'href="/moderation/users/quill/sanctions"' in queue
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/moderation/work/{work.pk}/decide", {"action": "hide", "reason": "Spam."})
        staff.post(
            "/moderation/users/quill/suspend",
            {"suspend-days": "3", "suspend-reason": "Spam in every chapter."},
        )
    assert guest.get(f"/works/{work.pk}").status_code == 404
    creator.refresh_from_db()
    assert not may_participate(creator)
    writer = client_as(creator)
    assert writer.post(f"/works/{other.pk}/kudos").status_code == 403
    assert writer.get(f"/works/{other.pk}").status_code == 200  # reading goes on

    # Three days later the suspension has ended by itself: no job, no staff step.
    creator.suspended_until = timezone.now() - datetime.timedelta(seconds=1)
    creator.save(update_fields=["suspended_until"])
    assert writer.post(f"/works/{other.pk}/kudos").status_code == 302
    assert guest.get(f"/works/{work.pk}").status_code == 404  # the hide stays

    steps = AuditEntry.objects.order_by("id").values_list("verb", "target_type", "reason")
    assert list(steps) == [
        ("work.hide", "work", "Spam."),
        ("user.suspend", "user", "Spam in every chapter."),
    ]
    assert Report.objects.get().status == ReportStatus.RESOLVED
    log = text(staff.get("/moderation/audit"))
    assert "work.hide" in log and "user.suspend" in log
