"""A small gift exchange in a real Chromium: sign-ups, matching, assignments, gifts, reveal."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from polis.collections.models import Assignment
from tests.collections.conftest import (  # noqa: F401 (fixtures used by name)
    close_signups,
    make_collection,
    make_exchange,
    make_tag_set,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def log_in(page, live_server, user) -> None:
    """A fresh browser session for `user` (the log-in page itself is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_gift_exchange_from_sign_up_to_reveal(
    page,
    live_server,
    make_user,
    make_work,
    make_exchange,  # noqa: F811
):
    mod = make_user("mod")
    challenge = make_exchange(mod, name="winterfest")
    people = {name: make_user(name) for name in ("ash", "birch", "cedar")}
    wishes = {"ash": ("A", "B"), "birch": ("B", "C"), "cedar": ("C", "A")}
    base = f"{live_server.url}/collections/winterfest"

    for name, (request, offer) in wishes.items():
        log_in(page, live_server, people[name])
        page.goto(base)
        page.get_by_role("link", name="Sign Up").click()
        page.locator("#request-1").get_by_label("Fandom tags").fill(request)
        page.locator("#request-1").get_by_label("Details").fill(f"Something cosy for {name}")
        page.locator("#offer-1").get_by_label("Fandom tags").fill(offer)
        page.get_by_role("button", name="Submit Sign-up").click()
        expect(page.get_by_text("Your sign-up was saved.")).to_be_visible()

    close_signups(challenge)

    log_in(page, live_server, mod)
    page.goto(f"{base}/matching")
    page.get_by_role("button", name="Generate Assignments").click()
    expect(page.get_by_text("Potential matches are not ready")).to_be_visible()
    page.get_by_role("button", name="Generate Potential Matches").click()
    expect(page.locator("#matching-status")).to_contain_text("Done")
    expect(page.locator("#matching-status")).to_contain_text("3 potential matches among 3")
    page.get_by_role("button", name="Generate Assignments").click()
    expect(page.get_by_text("Assignments generated: 3 matched, 0 without a giver")).to_be_visible()
    page.get_by_role("button", name="Send Assignments").click()
    expect(page.get_by_text("3 assignments were sent.")).to_be_visible()

    # ash offers B, which only birch requested: ash writes for birch.
    assignment = Assignment.objects.get(giver__user=people["ash"])
    assert assignment.recipient.user == people["birch"]
    work = make_work(people["ash"], title="Snow on the Birches", fandoms=["B"])
    log_in(page, live_server, people["ash"])
    page.goto(f"{base}/assignments")
    expect(page.locator(".assignment h3")).to_have_text("For birch")
    expect(page.locator(".assignment .requests")).to_contain_text("Something cosy for birch")
    page.get_by_label("Your work").select_option(label="Snow on the Birches")
    page.get_by_role("button", name="Fulfil Assignment").click()
    expect(page.get_by_text("Your gift was posted to the exchange.")).to_be_visible()

    # Unrevealed: readers do not see it in the collection.
    page.context.clear_cookies()
    page.goto(f"{base}/works")
    expect(page.locator("li.work.blurb")).to_have_count(0)

    log_in(page, live_server, mod)
    page.goto(base)
    page.get_by_label("Reveal works only").check()
    page.get_by_role("button", name="Reveal").click()
    page.context.clear_cookies()
    page.goto(f"{base}/works")
    blurb = page.locator(f"li#work_{work.pk}")
    expect(blurb.locator("h4.heading a").first).to_have_text("Snow on the Birches")
    expect(blurb.locator("h4.heading")).to_contain_text("by Anonymous")
    expect(blurb.locator("a[rel=author]")).to_have_count(0)

    log_in(page, live_server, mod)
    page.goto(base)
    page.get_by_role("button", name="Reveal").click()
    page.context.clear_cookies()
    page.goto(f"{base}/works")
    expect(page.locator(f"li#work_{work.pk} a[rel=author]")).to_have_text("ash")

    log_in(page, live_server, people["birch"])
    page.goto(f"{live_server.url}/users/birch/gifts")
    expect(page.locator(f"li#work_{work.pk} h4.heading a").first).to_have_text(
        "Snow on the Birches"
    )
