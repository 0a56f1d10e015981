"""Reports: the Report link, guests with an address, the rate limit, what the reporter is
told; the queue's permission matrix; and a report walked from a guest to a hide."""

import pytest
from django.core import mail

from polis.accounts.roles import Role
from polis.core.models import AuditEntry
from polis.engagement.models import Notification
from polis.moderation.actions import RECEIVED
from polis.moderation.models import Report, ReportStatus
from tests.moderation.conftest import client_as, text

pytestmark = pytest.mark.django_db


def _report(client, path: str, **data):
    return client.post(path, {"reason": "harassment", "text": "Nasty.", **data})


def test_a_guest_report_walks_to_a_hide_with_its_audit_entries(
    make_user, make_work, moderator, django_capture_on_commit_callbacks
):
    creator = make_user("quill")
    work = make_work(creator, title="Salt Roads")
    guest = client_as()

    page = guest.get(f"/works/{work.pk}")
    assert f'href="/report/work/{work.pk}"' in text(page)
    answer = _report(guest, f"/report/work/{work.pk}", email="watcher@example.org")
    assert answer.status_code == 200
    assert RECEIVED in text(answer)
    report = Report.objects.get()
    assert (report.target_type, report.target_id, report.reporter, report.email) == (
        "work",
        work.pk,
        None,
        "watcher@example.org",
    )
    assert report.status == ReportStatus.OPEN
    assert AuditEntry.objects.count() == 0

    staff = client_as(moderator)
    queue = text(staff.get("/moderation"))
    assert "Salt Roads" in queue and "watcher@example.org" in queue and "Nasty." in queue
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        done = staff.post(
            f"/moderation/work/{work.pk}/decide", {"action": "hide", "reason": "Harassment."}
        )
    assert done.status_code == 302

    work.refresh_from_db()
    assert work.hidden is True
    report.refresh_from_db()
    assert (report.status, report.handled_by, report.resolution) == (
        ReportStatus.RESOLVED,
        moderator,
        "work.hide",
    )
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.verb, entry.target_type, entry.target_id, entry.reason) == (
        moderator,
        "work.hide",
        "work",
        str(work.pk),
        "Harassment.",
    )
    assert entry.role == Role.POLICY_ABUSE
    assert entry.details == {"reports_closed": 1}
    # The creator is told in the inbox and by e-mail, with the reason.
    note = Notification.objects.get(recipient=creator)
    assert note.kind == "moderation"
    assert "hid your work “Salt Roads”" in note.text and "Harassment." in note.text
    assert [m.to for m in mail.outbox] == [["quill@example.org"]]
    assert "Harassment." in mail.outbox[0].body
    # Hidden: 404 to a guest and another reader, the page with a notice to its creator.
    assert guest.get(f"/works/{work.pk}").status_code == 404
    assert client_as(make_user("passerby")).get(f"/works/{work.pk}").status_code == 404
    own = text(client_as(creator).get(f"/works/{work.pk}"))
    assert "hidden by the archive's staff" in own
    assert client_as(creator).get(f"/works/{work.pk}/edit").status_code == 200
    # The queue is empty, and the audit log lists the hide.
    assert "No open reports." in text(staff.get("/moderation"))
    log = text(staff.get("/moderation/audit", {"verb": "work.hide"}))
    assert "Salt Roads" in log and "warden" in log


def test_guests_must_give_an_address_and_accounts_need_not(make_user, make_work):
    work = make_work(title="Harbour")
    answer = _report(client_as(), f"/report/work/{work.pk}")
    assert answer.status_code == 200
    assert "Guests must give an e-mail address." in text(answer)
    assert Report.objects.count() == 0
    reader = make_user("gull")
    assert RECEIVED in text(_report(client_as(reader), f"/report/work/{work.pk}"))
    assert list(Report.objects.values_list("reporter__username", "email")) == [
        ("gull", "gull@example.org")
    ]


def test_other_needs_a_description(make_work, make_user):
    work = make_work()
    answer = client_as(make_user()).post(f"/report/work/{work.pk}", {"reason": "other"})
    assert "Please say what is wrong." in text(answer)
    assert Report.objects.count() == 0


def test_reports_are_rate_limited(settings, make_work, make_user):
    settings.POLIS_REPORT_RATE = "2/h"
    work = make_work()
    reader = client_as(make_user())
    codes = [_report(reader, f"/report/work/{work.pk}").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert Report.objects.count() == 2


def test_a_reporter_never_learns_who_else_reported(make_user, make_work):
    work = make_work(title="Shale")
    _report(client_as(make_user("first_reporter")), f"/report/work/{work.pk}")
    second = _report(client_as(make_user("second")), f"/report/work/{work.pk}")
    body = text(second)
    assert "first_reporter" not in body
    assert "received" in body
    assert Report.objects.count() == 2


def test_nobody_reports_what_they_cannot_see(make_user, make_work):
    draft = make_work(post=False)
    restricted = make_work(restricted=True)
    assert _report(client_as(make_user()), f"/report/work/{draft.pk}").status_code == 404
    guest = client_as()
    assert guest.get(f"/report/work/{restricted.pk}").status_code == 404
    assert guest.get("/report/nothing/1").status_code == 404
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("chapter", "chapter"),
        ("comment", "comment"),
        ("bookmark", "bookmark"),
        ("series", "series"),
        ("collection", "collection"),
        ("tag", "tag"),
        ("user", "user"),
    ],
)
def test_every_page_has_a_report_link(kind, path, make_user, make_work):
    from polis.collections.actions.collections import CollectionInput, collection_create
    from polis.engagement.bookmarks import bookmark_create
    from polis.engagement.comments import comment_create
    from polis.works.series import series_add_work, series_create

    creator = make_user("maker")
    work = make_work(creator, chapters=2, freeforms=["Tidepools"])
    if kind == "chapter":
        target = work.chapters.order_by("position").last()
        page = f"/works/{work.pk}/chapters/{target.pk}"
    elif kind == "comment":
        target, _ = comment_create(actor=make_user(), work=work, text="Lovely.")
        page = target.get_absolute_url()
    elif kind == "bookmark":
        target, _ = bookmark_create(actor=make_user(), work=work, notes="Keep.")
        page = target.get_absolute_url()
    elif kind == "series":
        target = series_create(actor=creator, title="Tides")
        series_add_work(actor=creator, series=target, work=work)
        page = target.get_absolute_url()
    elif kind == "collection":
        target = collection_create(actor=creator, data=CollectionInput(name="tides", title="T"))
        page = target.get_absolute_url()
    elif kind == "tag":
        from polis.tags.models import Tag

        target = Tag.objects.get(name="Tidepools")
        page = target.get_absolute_url()
    else:
        target = creator
        page = "/users/maker"
    response = client_as(make_user()).get(page)
    assert response.status_code == 200
    link = f'href="/report/{path}/{target.pk}"'
    assert link in text(response)
    form = client_as().get(f"/report/{path}/{target.pk}")
    assert form.status_code == 200
    assert 'name="reason"' in text(form)


# --------------------------------------------------------------------------- the queue


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 404),
        ("reader", 404),
        ("creator", 404),
        ("wrangler", 404),
        ("role_without_staff_flag", 404),
        ("support", 200),
        ("moderator", 200),
        ("admin", 200),
    ],
)
def test_the_queue_is_for_staff_with_roles(who, status, make_user, make_staff, make_work):
    from django.contrib.auth.models import Group

    creator = make_user("owner")
    work = make_work(creator, title="Queue Work")
    _report(client_as(make_user()), f"/report/work/{work.pk}")
    people = {
        "anonymous": None,
        "reader": make_user(),
        "creator": creator,
        "wrangler": make_staff("wrangler", Role.TAG_WRANGLING),
        "support": make_staff("support", Role.SUPPORT),
        "moderator": make_staff("moderator", Role.POLICY_ABUSE),
        "admin": make_user("root", is_staff=True, is_superuser=True),
    }
    if who == "role_without_staff_flag":
        people[who] = make_user("nostaff")
        people[who].groups.add(Group.objects.get_or_create(name=Role.POLICY_ABUSE)[0])
    client = client_as(people[who])
    assert client.get("/moderation").status_code == status
    refused = client.post(f"/moderation/work/{work.pk}/decide", {"action": "hide", "reason": "x"})
    work.refresh_from_db()
    if who in {"moderator", "admin"}:
        assert refused.status_code == 302 and work.hidden
    else:
        assert refused.status_code in {404, 405} and not work.hidden
        assert Report.objects.get().status == ReportStatus.OPEN


def test_support_sees_only_its_part_of_the_queue(make_user, make_work, support, moderator):
    tagging = make_work(title="Mistagged")
    abusive = make_work(title="Abusive")
    reader = client_as(make_user())
    reader.post(f"/report/work/{tagging.pk}", {"reason": "tags", "text": "Not Gen."})
    reader.post(f"/report/work/{abusive.pk}", {"reason": "harassment"})
    helper = text(client_as(support).get("/moderation"))
    assert "Mistagged" in helper and "Abusive" not in helper
    assert 'value="hide"' not in helper  # support does not hide
    warden = text(client_as(moderator).get("/moderation"))
    assert "Mistagged" in warden and "Abusive" in warden
    # Support may dismiss its own reports, but not the others.
    assert (
        client_as(support)
        .post(f"/moderation/work/{abusive.pk}/decide", {"action": "dismiss", "reason": "n"})
        .status_code
        == 404
    )
    ok = client_as(support).post(
        f"/moderation/work/{tagging.pk}/decide", {"action": "dismiss", "reason": "Fine."}
    )
    assert ok.status_code == 302
    assert dict(Report.objects.values_list("target_label", "status")) == {
        "Mistagged": ReportStatus.DISMISSED,
        "Abusive": ReportStatus.OPEN,
    }
    assert list(AuditEntry.objects.values_list("verb", "role")) == [
        ("report.dismiss", Role.SUPPORT)
    ]


def test_the_queue_shows_the_target_and_creator_history(make_user, make_work, moderator):
    creator = make_user("repeat")
    earlier = make_work(creator, title="Earlier Work")
    current = make_work(creator, title="Current Work")
    reader = client_as(make_user())
    reader.post(f"/report/work/{earlier.pk}", {"reason": "spam"})
    staff = client_as(moderator)
    staff.post(f"/moderation/work/{earlier.pk}/decide", {"action": "spam", "reason": "Ads."})
    reader.post(f"/report/work/{current.pk}", {"reason": "spam"})
    page = text(staff.get("/moderation"))
    assert "Current Work" in page
    assert "Account repeat: 1 marked as spam, 1 earlier reports" in page
    assert "work.spam work “Earlier Work”: Ads." in page
