"""A writer imports an AO3 download from a file, reviews the draft's preview and posts it."""

import pytest
from playwright.sync_api import expect

from polis.works.models import Work
from tests.imports.support import AO3_DOWNLOAD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_import_a_download_review_and_post(page, live_server, make_user, tmp_path):
    make_user("saltwind")
    download = tmp_path / "The_Lighthouse_Keeper.html"
    download.write_text(AO3_DOWNLOAD, encoding="utf-8")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("saltwind")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log In").click()

    page.goto(f"{live_server.url}/works/import")
    page.get_by_label("Or a file").set_input_files(str(download))
    page.get_by_label("Only show imported works to registered users").check()
    page.get_by_label("Only registered users can comment").check()
    page.get_by_role("button", name="Import").click()

    work = Work.objects.get()
    assert page.url == f"{live_server.url}/works/{work.pk}/preview"
    expect(page.get_by_text("This is a draft: nobody else can see it")).to_be_visible()
    expect(page.locator("h2.title")).to_have_text("The Lighthouse Keeper")
    expect(page.locator("dd.relationship.tags a.tag")).to_have_text("Maren Holt/Ines Varga")
    expect(page.get_by_text("Morning came grey.")).to_be_visible()
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Work was successfully posted.")).to_be_visible()
    work.refresh_from_db()
    assert (work.posted, work.restricted) == (True, True)
    assert work.comment_settings.permission == "registered"
