"""A writer signs up, posts a work and logs out; a logged-out reader then reads it."""

import re

import pytest
from playwright.sync_api import expect

from polis.works.models import Work

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STORY = (
    "The rain had not stopped for three days.\n\n"
    "Clarke counted the drops on the window\nand lost count at forty.\n\n"
    "“Are you coming?” Lexa asked."
)


def test_sign_up_post_log_out_and_read(page, live_server):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email").fill("wren@example.org")
    page.get_by_label("Username").fill("wren")
    page.get_by_label(re.compile(r"^Password(?! \(again\))")).fill("rain-on-the-window-42")
    page.get_by_label("Password (again)").fill("rain-on-the-window-42")
    page.get_by_role("button", name="Create Account").click()
    expect(page.get_by_role("link", name="Hi, wren!")).to_be_visible()

    page.get_by_role("link", name="Post New Work").click()
    page.get_by_label("Rating").select_option("Teen And Up Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill("The 100 (TV)")
    page.get_by_label("F/F").check()
    page.get_by_label("Relationships").fill("Clarke Griffin/Lexa")
    page.get_by_label("Work Title").fill("Forty Drops")
    page.get_by_label("Summary").fill("Rain, and a question.")
    page.get_by_label("Text format").select_option("text")
    page.get_by_label("Work Text").fill(STORY)
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Work was successfully posted.")).to_be_visible()
    work = Work.objects.get(title="Forty Drops")
    assert page.url == f"{live_server.url}/works/{work.pk}"

    page.get_by_role("link", name="Log Out").click()
    page.get_by_role("button", name="Log Out").click()
    expect(page.get_by_role("link", name="Log In")).to_be_visible()

    page.goto(f"{live_server.url}/works")
    page.get_by_role("link", name="Forty Drops").click()
    expect(page.locator("h1.title")).to_have_text("Forty Drops")
    expect(page.locator("h3.byline a[rel=author]")).to_have_text("wren")
    expect(page.locator("dd.relationship.tags a.tag")).to_have_text("Clarke Griffin/Lexa")
    expect(page.locator("dl.stats dd.words")).to_have_text("25")
    paragraphs = page.locator("#chapters .userstuff p")
    expect(paragraphs).to_have_count(3)
    expect(paragraphs.nth(1)).to_contain_text("window")
    assert paragraphs.nth(1).inner_html() == (
        "Clarke counted the drops on the window<br>\nand lost count at forty."
    )
