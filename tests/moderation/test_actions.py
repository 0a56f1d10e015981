"""Spam marks, frozen threads, staff retagging, wrangling in the audit log, the audit log's
search and its pages and API — each action recorded and its account told."""

import datetime

import pytest
from django.core import mail

from polis.accounts.roles import Role
from polis.core.models import AuditEntry
from polis.engagement.comments import comment_create
from polis.engagement.models import Comment, Notification
from polis.moderation.actions_content import content_mark_spam, spam_count
from polis.moderation.models import SpamMark
from polis.moderation.targets import find_target
from polis.tags.actions import tags_find_or_create
from polis.tags.wrangling import tag_make_synonym, tag_rename, tag_set_canonical
from polis.works.models import tags_of_type
from tests.api.conftest import ApiClient
from tests.moderation.conftest import client_as, text

pytestmark = pytest.mark.django_db


def _decide(user, kind: str, pk: int, action: str, reason: str = "Rules."):
    return client_as(user).post(
        f"/moderation/{kind}/{pk}/decide", {"action": action, "reason": reason}
    )


def test_spam_hides_and_counts_against_the_account(make_user, make_work, moderator):
    spammer = make_user("spammer")
    first = make_work(spammer, title="Buy Now")
    second = make_work(make_user(), title="Honest Work")
    comment, _ = comment_create(actor=spammer, work=second, text="Cheap pills here")
    assert _decide(moderator, "work", first.pk, "spam").status_code == 302
    assert _decide(moderator, "comment", comment.pk, "spam").status_code == 302
    first.refresh_from_db()
    comment.refresh_from_db()
    assert first.hidden is True and comment.staff_hidden is True
    assert spam_count(spammer) == 2
    assert sorted(SpamMark.objects.values_list("target_type", flat=True)) == ["comment", "work"]
    assert client_as().get(f"/works/{first.pk}").status_code == 404
    assert "Cheap pills" not in text(client_as().get(f"/works/{second.pk}"))
    assert sorted(AuditEntry.objects.values_list("verb", flat=True)) == [
        "comment.spam",
        "work.spam",
    ]
    assert Notification.objects.filter(recipient=spammer, kind="moderation").count() == 2
    # Unhiding clears the mark.
    assert _decide(moderator, "work", first.pk, "unhide", "Was fine.").status_code == 302
    assert spam_count(spammer) == 1


def test_a_frozen_thread_takes_no_replies_and_says_so(make_user, make_work, moderator):
    reader = make_user("talker")
    work = make_work(title="Quiet Work")
    comment, _ = comment_create(actor=reader, work=work, text="First!")
    reply, _ = comment_create(actor=make_user(), work=work, text="Second!", parent=comment)
    assert _decide(moderator, "comment", comment.pk, "freeze", "Heated.").status_code == 302
    assert set(Comment.objects.values_list("frozen", flat=True)) == {True}
    page = text(client_as(make_user()).get(f"/comments/{comment.pk}"))
    assert "This thread has been frozen." in page
    assert "Post Reply" not in page
    attempt = client_as(make_user()).post(
        f"/works/{work.pk}/comments", {"text": "Third!", "parent_id": reply.pk}
    )
    assert attempt.status_code in {200, 403}
    assert Comment.objects.count() == 2
    entry = AuditEntry.objects.get()
    assert (entry.verb, entry.target_type, entry.target_id, entry.reason) == (
        "comment.freeze",
        "comment",
        str(comment.pk),
        "Heated.",
    )
    assert Notification.objects.get(recipient=reader, kind="moderation").text.startswith(
        "The archive's staff froze the comment thread"
    )


def test_staff_retag_a_work_through_the_page(
    make_user, make_work, support, django_capture_on_commit_callbacks
):
    creator = make_user("stubborn")
    work = make_work(creator, title="Mislabelled", freeforms=["Fluff"])
    form = client_as(support).get(f"/moderation/works/{work.pk}/retag")
    assert form.status_code == 200
    assert "Fluff" in text(form)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        answer = client_as(support).post(
            f"/moderation/works/{work.pk}/retag",
            {
                "rating": "Explicit",
                "warnings": ["Graphic Depictions Of Violence"],
                "fandoms": "Original Work",
                "freeforms": "Angst, Fluff",
                "reason": "The work is not for all audiences.",
            },
        )
    assert answer.status_code == 302
    work.refresh_from_db()
    assert work.rating == "Explicit"
    assert [t.name for t in tags_of_type(work, "warning")] == ["Graphic Depictions Of Violence"]
    assert [t.name for t in tags_of_type(work, "freeform")] == ["Angst", "Fluff"]
    entry = AuditEntry.objects.get()
    assert (entry.verb, entry.role, entry.reason) == (
        "work.retag",
        Role.SUPPORT,
        "The work is not for all audiences.",
    )
    assert entry.details["before"] == {"rating": "General Audiences"}
    assert entry.details["after"]["rating"] == "Explicit"
    assert [m.to for m in mail.outbox] == [["stubborn@example.org"]]
    # Filters follow: the work is listed under its new tag.
    assert "Mislabelled" in text(client_as().get("/tags/Angst/works"))


@pytest.mark.parametrize("who", ["anonymous", "reader", "creator", "wrangler"])
def test_only_staff_retag(who, make_user, make_staff, make_work):
    creator = make_user("maker")
    work = make_work(creator)
    people = {
        "anonymous": None,
        "reader": make_user(),
        "creator": creator,
        "wrangler": make_staff("wrangler", Role.TAG_WRANGLING),
    }
    client = client_as(people[who])
    assert client.get(f"/moderation/works/{work.pk}/retag").status_code == 404
    client.post(
        f"/moderation/works/{work.pk}/retag",
        {
            "rating": "Explicit",
            "warnings": ["No Archive Warnings Apply"],
            "fandoms": "Original Work",
            "reason": "x",
        },
    )
    work.refresh_from_db()
    assert work.rating == "General Audiences"
    assert AuditEntry.objects.count() == 0


def test_tag_wrangling_is_in_the_audit_log(make_user):
    wrangler = make_user("sorter", is_tag_wrangler=True)
    clexa, canon = tags_find_or_create(
        names=["Clexa", "Clarke Griffin/Lexa"], tag_type="relationship"
    )
    tag_set_canonical(actor=wrangler, tag=canon, canonical=True)
    tag_make_synonym(actor=wrangler, tag=clexa, of=canon)
    tag_rename(actor=wrangler, tag=canon, name="Clarke Griffin/Lexa (The 100)")
    rows = list(
        AuditEntry.objects.order_by("pk").values_list(
            "actor_name", "role", "verb", "target_label", "details"
        )
    )
    assert rows == [
        ("sorter", Role.TAG_WRANGLING, "tag.canonical", "Clarke Griffin/Lexa", {}),
        ("sorter", Role.TAG_WRANGLING, "tag.synonym", "Clexa", {"of": "Clarke Griffin/Lexa"}),
        (
            "sorter",
            Role.TAG_WRANGLING,
            "tag.rename",
            "Clarke Griffin/Lexa (The 100)",
            {"was": "Clarke Griffin/Lexa"},
        ),
    ]


def test_the_audit_log_is_searchable_by_staff_only(make_user, make_work, moderator):
    spammer = make_user("spammer")
    work = make_work(spammer, title="Spam Work")
    other = make_work(make_user(), title="Other Work")
    content_mark_spam(actor=moderator, target=find_target("work", work.pk), reason="Ads.")
    tag_set_canonical(
        actor=make_user("sorter", is_tag_wrangler=True),
        tag=tags_find_or_create(names=["Sea"], tag_type="freeform")[0],
        canonical=True,
    )
    staff = client_as(moderator)
    everything = text(staff.get("/moderation/audit"))
    assert "2 entries" in everything
    by_actor = text(staff.get("/moderation/audit", {"actor": "sorter"}))
    assert "1 entry" in by_actor and "tag.canonical" in by_actor
    by_prefix = text(staff.get("/moderation/audit", {"verb": "work."}))
    assert "1 entry" in by_prefix and "Spam Work" in by_prefix
    by_target = text(staff.get("/moderation/audit", {"target_type": "work", "target_id": other.pk}))
    assert "0 entries" in by_target
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    assert "0 entries" in text(staff.get("/moderation/audit", {"since": tomorrow}))
    for user in [None, make_user(), spammer]:
        assert client_as(user).get("/moderation/audit").status_code == 404


def test_the_api_walks_a_report_to_a_hide(make_user, make_work, moderator, token_for):
    creator = make_user("quill")
    work = make_work(creator, title="Api Work")
    guest = ApiClient()
    refused = guest.post(
        "/reports", {"target_type": "work", "target_id": work.pk, "reason": "spam"}
    )
    assert refused.status_code == 400
    sent = guest.post(
        "/reports",
        {"target_type": "work", "target_id": work.pk, "reason": "spam", "email": "g@example.org"},
    )
    assert sent.status_code == 201
    assert sent.json() == {
        "detail": "Thank you: your report was received, and the archive's staff will look at it."
    }
    assert ApiClient(token_for(make_user())).get("/moderation/queue").status_code == 404
    staff = ApiClient(token_for(moderator))
    queue = staff.get("/moderation/queue").json()
    assert [(g["target_type"], g["target_id"], len(g["reports"])) for g in queue] == [
        ("work", work.pk, 1)
    ]
    assert (
        ApiClient(token_for(make_user()))
        .post(f"/moderation/work/{work.pk}/hide", {"reason": "x"})
        .status_code
        == 404
    )
    hidden = staff.post(f"/moderation/work/{work.pk}/hide", {"reason": "Spam."})
    assert hidden.status_code == 200
    assert hidden.json() == {
        "target_type": "work",
        "target_id": work.pk,
        "hidden": True,
        "frozen": None,
    }
    assert guest.get(f"/works/{work.pk}").status_code == 404
    assert staff.get("/moderation/queue").json() == []
    log = staff.get("/audit", verb="work.hide").json()
    assert log["count"] == 1
    assert (log["results"][0]["actor"], log["results"][0]["target_id"]) == (
        "warden",
        str(work.pk),
    )
    assert ApiClient(token_for(creator)).get("/audit").status_code == 404
    retag = staff.post(
        f"/moderation/works/{work.pk}/retag", {"reason": "Rated wrong.", "rating": "Mature"}
    )
    assert retag.status_code == 200
    work.refresh_from_db()
    assert work.rating == "Mature"


def test_the_api_queue_shows_the_creators_history_as_the_page_does(
    make_user, make_work, moderator, token_for
):
    spammer = make_user("spammer")
    earlier = make_work(spammer, title="Buy Now")
    reported = make_work(spammer, title="Buy Again")
    assert _decide(moderator, "work", earlier.pk, "spam", "Ads.").status_code == 302
    reader = client_as(make_user("reader"))
    reader.post(f"/report/work/{reported.pk}", {"reason": "spam", "text": "Ads again."})

    queue = ApiClient(token_for(moderator)).get("/moderation/queue").json()

    assert [(g["target_id"], g["label"]) for g in queue] == [(reported.pk, "Buy Again")]
    (account,) = queue[0]["accounts"]
    assert {k: account[k] for k in ("username", "spam_count", "earlier_reports")} == {
        "username": "spammer",
        "spam_count": 1,
        "earlier_reports": 0,
    }
    assert [(e["verb"], e["target_id"], e["reason"]) for e in account["history"]] == [
        ("work.spam", str(earlier.pk), "Ads.")
    ]
    page = text(client_as(moderator).get("/moderation"))
    assert "Account spammer: 1 marked as spam, 0 earlier reports" in page
