"""Assignment notices: writers hear what to write (inbox and e-mail); defaults reach mods."""

import pytest

from polis.collections.actions import assignments as assigning
from polis.collections.actions.matching import assignments_generate
from polis.collections.models import Assignment
from polis.engagement.digests import digests_send
from polis.engagement.models import Notification
from tests.collections.test_exchange import exchange, run_matching  # noqa: F401 (fixture)
from tests.works.support import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(exchange, make_user, django_capture_on_commit_callbacks, mailoutbox):  # noqa: F811
    """Assignments sent; the one recipient nobody can serve gets pinch hitter `pinch`."""
    challenge, mod, people = exchange
    run_matching(challenge, mod, django_capture_on_commit_callbacks)
    assignments_generate(actor=mod, challenge=challenge)
    (missing,) = assigning.unmatched(challenge)
    pinch = make_user("pinch")
    assigning.assignment_pinch_hit(actor=mod, assignment=missing, user=pinch)
    assert Notification.objects.count() == 0  # nothing is sent before the assignments are
    with django_capture_on_commit_callbacks(execute=True):
        assigning.assignments_send(actor=mod, challenge=challenge)
    return challenge, mod, people, pinch


def _notes(kind: str) -> list[tuple[str, str, str]]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", "text", "link")
    )


def test_every_writer_gets_one_inbox_notice_naming_the_recipient(sent):
    challenge, _, people, pinch = sent
    expected = []
    for a in Assignment.objects.filter(challenge=challenge).select_related(
        "recipient__pseud", "giver__user", "pinch_hitter"
    ):
        writer = a.pinch_hitter or a.giver.user
        kind = "Pinch-hit assignment" if a.pinch_hitter else "Your assignment"
        expected.append(
            (
                writer.username,
                f"{kind} for “Yuletide”: write a gift for {a.recipient.pseud.name}.",
                f"/collections/yuletide/assignments#assignment_{a.pk}",
            )
        )
    assert _notes("assignment") == sorted(expected)
    assert len(expected) == 5


def test_each_writer_gets_an_email_with_the_requests_and_the_link(sent, mailoutbox, settings):
    challenge, _, people, pinch = sent
    assert len(mailoutbox) == 5
    ann_gift = Assignment.objects.get(challenge=challenge, recipient__user=people["ann"])
    writer = ann_gift.giver.user
    (mail,) = [m for m in mailoutbox if m.to == [writer.email]]
    assert mail.subject == "[Polis] Your assignment for Yuletide"
    assert "Your assignment for Yuletide is a gift for ann." in mail.body
    assert "Request 1\n  Tags: A\n" in mail.body
    assert (
        f"Post to your assignment: /collections/yuletide/assignments#assignment_{ann_gift.pk}"
        in mail.body
    )
    (pinch_mail,) = [m for m in mailoutbox if m.to == [pinch.email]]
    assert pinch_mail.body.startswith("Hi pinch,\n\nThank you for pinch-hitting!")
    # The notices were e-mailed already: the digest does not send them again.
    mailoutbox.clear()
    assert digests_send() == (0, 0)
    assert mailoutbox == []


def test_the_inbox_links_to_the_assignment(sent, client):
    challenge, _, people, _ = sent
    ann_gift = Assignment.objects.get(challenge=challenge, recipient__user=people["ann"])
    writer = ann_gift.giver.user
    client.force_login(writer)
    page = parse(client.get(f"/users/{writer.username}/inbox"))
    assert page.texts("li.notification p.links a") == ["Post to your assignment"]
    link = page.select_one("li.notification p.links a").get("href")
    assert link == f"/collections/yuletide/assignments#assignment_{ann_gift.pk}"


def test_a_pinch_hitter_named_after_sending_is_told(
    sent, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    challenge, mod, people, _ = sent
    ann_gift = Assignment.objects.get(challenge=challenge, recipient__user=people["ann"])
    assigning.assignment_default(actor=ann_gift.giver.user, assignment=ann_gift)
    mailoutbox.clear()
    helper = make_user("helper")
    with django_capture_on_commit_callbacks(execute=True):
        assigning.assignment_pinch_hit(actor=mod, assignment=ann_gift, user=helper)
    assert [n for n in _notes("assignment") if n[0] == "helper"] == [
        (
            "helper",
            "Pinch-hit assignment for “Yuletide”: write a gift for ann.",
            f"/collections/yuletide/assignments#assignment_{ann_gift.pk}",
        )
    ]
    assert [m.to for m in mailoutbox] == [["helper@example.org"]]


def test_defaulting_tells_the_moderators(
    sent, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    challenge, mod, people, _ = sent
    ann_gift = Assignment.objects.get(challenge=challenge, recipient__user=people["ann"])
    giver = ann_gift.giver.user
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assigning.assignment_default(actor=giver, assignment=ann_gift)
    text = (
        f"{giver.username} defaulted on the assignment for ann in “Yuletide”; "
        "it needs a pinch hitter."
    )
    assert _notes("defaulted") == [("mod", text, "/collections/yuletide/matching")]
    (mail,) = mailoutbox
    assert (mail.to, mail.subject) == (
        ["mod@example.org"],
        "[Polis] An assignment in Yuletide was defaulted",
    )
    assert text in mail.body
