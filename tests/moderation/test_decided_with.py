"""What an action decides besides its target: a chapter's reports close when its work is
hidden for them, a hidden work's chapters and a hidden thread's replies too; the repliers
whose comments a thread action hides are told, as its author is."""

import pytest
from django.core import mail

from polis.core.models import AuditEntry
from polis.engagement.comments import comment_create
from polis.engagement.models import Notification, NotificationKind
from polis.moderation.models import Report, ReportStatus
from tests.moderation.conftest import client_as

pytestmark = pytest.mark.django_db


def _report(user, kind: str, pk: int, reason: str = "harassment") -> None:
    response = client_as(user).post(f"/report/{kind}/{pk}", {"reason": reason, "text": "Bad."})
    assert response.status_code == 200  # "your report was received"


def _decide(user, kind: str, pk: int, action: str, reason: str = "Rules."):
    return client_as(user).post(
        f"/moderation/{kind}/{pk}/decide", {"action": action, "reason": reason}
    )


def _states() -> list[tuple[str, str, str, str]]:
    rows = Report.objects.order_by("pk").values_list(
        "target_type", "target_id", "status", "resolution"
    )
    return [(kind, str(pk), status, resolution) for kind, pk, status, resolution in rows]


@pytest.mark.parametrize("action, verb", [("hide", "work.hide"), ("spam", "work.spam")])
def test_hiding_a_reported_chapter_closes_its_reports_and_its_works_chapters(
    action, verb, make_user, make_work, moderator
):
    work = make_work(make_user("quill"), title="Three Parts", chapters=3)
    first, second, third = work.chapters.order_by("position")
    other = make_work(make_user("else"), title="Elsewhere")
    reader = make_user("reader")
    _report(reader, "chapter", second.pk)
    _report(reader, "chapter", third.pk, reason="plagiarism")
    _report(reader, "work", other.pk)

    response = _decide(moderator, "chapter", second.pk, action)

    assert response.status_code == 302
    work.refresh_from_db()
    assert work.hidden is True
    assert _states() == [
        ("chapter", str(second.pk), ReportStatus.RESOLVED, verb),
        ("chapter", str(third.pk), ReportStatus.RESOLVED, verb),
        ("work", str(other.pk), ReportStatus.OPEN, ""),
    ]
    entry = AuditEntry.objects.get(verb=verb)
    assert (entry.target_type, entry.target_id, entry.details["reports_closed"]) == (
        "work",
        str(work.pk),
        2,
    )
    assert Report.objects.filter(handled_by=moderator).count() == 2


def test_retagging_a_work_from_its_chapters_report_closes_that_report(
    make_user, make_work, moderator
):
    from polis.moderation.actions_content import work_retag
    from polis.moderation.targets import find_target

    work = make_work(make_user("quill"), title="Mistagged", chapters=2)
    first, second = work.chapters.order_by("position")
    reader = make_user("reader")
    _report(reader, "chapter", second.pk, reason="tags")
    _report(reader, "chapter", first.pk)  # about something else: retagging decides nothing

    work_retag(
        actor=moderator,
        target=find_target("chapter", second.pk),
        reason="Violence.",
        rating="Mature",
    )

    work.refresh_from_db()
    assert work.rating == "Mature"
    assert _states() == [
        ("chapter", str(second.pk), ReportStatus.RESOLVED, "work.retag"),
        ("chapter", str(first.pk), ReportStatus.OPEN, ""),
    ]


def test_hiding_a_thread_closes_its_replies_reports_and_tells_every_replier(
    make_user, make_work, moderator, django_capture_on_commit_callbacks
):
    work = make_work(make_user("quill"), title="Loud Work")
    author = make_user("author")
    replier = make_user("replier")
    root, _ = comment_create(actor=author, work=work, text="Start")
    reply, _ = comment_create(actor=replier, work=work, text="Answer", parent=root)
    comment_create(actor=author, work=work, text="Again", parent=reply)
    guest, _ = comment_create(actor=make_user("guesty"), work=work, text="Other thread")
    reader = make_user("reader")
    _report(reader, "comment", root.pk)
    _report(reader, "comment", reply.pk)
    _report(reader, "comment", guest.pk)
    Notification.objects.filter(kind=NotificationKind.MODERATION).delete()
    mail.outbox = []

    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(moderator, "comment", root.pk, "hide", "Harassment.")

    assert response.status_code == 302
    assert _states() == [
        ("comment", str(root.pk), ReportStatus.RESOLVED, "comment.hide"),
        ("comment", str(reply.pk), ReportStatus.RESOLVED, "comment.hide"),
        ("comment", str(guest.pk), ReportStatus.OPEN, ""),
    ]
    label = "Comment by author on Loud Work"
    told = sorted(
        Notification.objects.filter(kind=NotificationKind.MODERATION).values_list(
            "recipient__username", "text"
        )
    )
    # The author, who also wrote a reply below, is told once, as the author.
    assert told == [
        (
            "author",
            f"The archive's staff hid your comment “{label}”: only you and staff can "
            "see it now. You can still edit it. Reason: Harassment.",
        ),
        (
            "replier",
            f"The archive's staff hid a comment thread your reply is in (“{label}”): "
            "only you and staff can see your reply now. Reason: Harassment.",
        ),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["author@example.org", "replier@example.org"]

    Notification.objects.filter(kind=NotificationKind.MODERATION).delete()
    assert _decide(moderator, "comment", root.pk, "unhide", "Appeal.").status_code == 302
    assert sorted(
        Notification.objects.filter(kind=NotificationKind.MODERATION).values_list(
            "recipient__username", "text"
        )
    ) == [
        (
            "author",
            f"The archive's staff made your comment “{label}” visible again. Reason: Appeal.",
        ),
        (
            "replier",
            f"The archive's staff made a comment thread your reply is in (“{label}”) "
            "visible again. Reason: Appeal.",
        ),
    ]


def test_the_api_hiding_a_reported_chapter_closes_its_report(
    make_user, make_work, moderator, token_for
):
    from tests.api.conftest import ApiClient

    work = make_work(make_user("quill"), title="Two Parts", chapters=2)
    chapter = work.chapters.order_by("position").last()
    _report(make_user("reader"), "chapter", chapter.pk)
    staff = ApiClient(token_for(moderator))
    assert [g["target_type"] for g in staff.get("/moderation/queue").json()] == ["chapter"]

    hidden = staff.post(f"/moderation/chapter/{chapter.pk}/spam", {"reason": "Ads."})

    assert hidden.status_code == 200
    assert hidden.json() == {  # the answer names what was hidden: the chapter's work
        "target_type": "work",
        "target_id": work.pk,
        "hidden": True,
        "frozen": None,
    }
    assert _states() == [("chapter", str(chapter.pk), ReportStatus.RESOLVED, "work.spam")]
    assert staff.get("/moderation/queue").json() == []
