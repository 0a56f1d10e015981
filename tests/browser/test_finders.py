"""A reader goes from the header's Search to the bookmark, tag and people searches."""

import pytest
from playwright.sync_api import expect

from polis.engagement.bookmarks import bookmark_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_search_bookmarks_tags_and_people_from_the_header(page, live_server, make_user, make_work):
    writer, bob = make_user("quill"), make_user("bob")
    work = make_work(writer, title="Forty Drops", freeforms=["Rainy Days"])
    bookmark_create(actor=bob, work=work, notes="A rec.", rec=True)
    bookmark_create(actor=bob, work=make_work(writer, title="Dry Spell"))

    page.goto(live_server.url)
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", name="Search Works")).to_be_visible()

    searches = page.get_by_role("navigation", name="Searches")
    searches.get_by_role("link", name="Bookmarks").click()
    page.get_by_label("Bookmarker", exact=True).fill("bob")
    page.get_by_label("Recs only").check()
    page.get_by_role("button", name="Search Bookmarks").click()
    expect(page.get_by_role("heading", name="1 - 1 of 1 Found")).to_be_visible()
    expect(page.locator("li.bookmark h4 a").first).to_have_text("Forty Drops")

    page.get_by_role("navigation", name="Searches").get_by_role("link", name="Tags").click()
    page.get_by_label("Tag name").fill("rainy")
    page.get_by_label("Category").select_option("freeform")
    page.get_by_role("button", name="Search Tags").click()
    expect(page.locator("ol.tag.index li")).to_have_text(
        "Rainy Days (Additional Tags, unwrangled) 1 work"
    )

    page.get_by_role("navigation", name="Searches").get_by_role("link", name="People").click()
    page.get_by_label("Name").fill("qui")
    page.get_by_role("button", name="Search People").click()
    expect(page.locator("ol.pseud.index li h4")).to_have_text("quill")
