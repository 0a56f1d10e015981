"""In a real Chromium: a reader replies to a comment, and the reply appears nested under it."""

import importlib

import pytest
from playwright.sync_api import expect

from polis.engagement.comments import comment_create
from polis.engagement.models import Comment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _fixed_tags(db):
    """Earlier transactional tests flush the tables, and with them the ratings and warnings
    that a data migration made: make them again, as that migration does."""
    from django.apps import apps

    importlib.import_module("polis.tags.migrations.0002_fixed_tags").create(apps, None)


def _log_in(page, live_server, username: str, next_url: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("Username or e-mail").fill(username)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log In").click()


def test_leaving_a_threaded_reply(page, live_server, make_user, make_work):
    writer, wren = make_user("writer"), make_user("wren")
    make_user("moss")
    work = make_work(writer, title="Forty Drops", text="<p>The rain had not stopped.</p>")
    first, _ = comment_create(actor=wren, work=work, text="Was it still raining at the end?")

    _log_in(page, live_server, "moss", f"/works/{work.pk}")
    expect(page.locator("h1.title")).to_have_text("Forty Drops")

    thread = page.locator(f"li#comment_{first.pk}")
    thread.get_by_text("Reply", exact=True).click()
    thread.get_by_label("Reply to wren").fill("I think it stopped at dawn.")
    thread.get_by_role("button", name="Post Reply").click()

    expect(page.get_by_text("Comment created!")).to_be_visible()
    reply = Comment.objects.get(parent=first)
    nested = page.locator(f"li#comment_{first.pk} ol.thread li#comment_{reply.pk}")
    expect(nested.locator("blockquote.userstuff")).to_have_text("I think it stopped at dawn.")
    expect(nested.locator("h4.byline a")).to_have_text("moss")
    assert page.url.endswith(f"#comment_{reply.pk}")

    # The author of the first comment finds the reply in the inbox and answers from there.
    page.get_by_role("link", name="Log Out").click()
    page.get_by_role("button", name="Log Out").click()
    _log_in(page, live_server, "wren", "/")
    expect(page.locator("a#inbox_link")).to_have_text("Inbox (1 unread)")
    page.locator("a#inbox_link").click()
    note = page.locator("ol.inbox li.notification").first
    expect(note.locator("label.note")).to_contain_text("moss replied to your comment")
    note.get_by_text("Reply", exact=True).click()
    note.get_by_label("Reply to moss").fill("Thank you!")
    note.get_by_role("button", name="Post Reply").click()

    answer = Comment.objects.get(parent=reply)
    expect(
        page.locator(f"li#comment_{reply.pk} ol.thread li#comment_{answer.pk} blockquote")
    ).to_have_text("Thank you!")
    assert answer.depth == 2
