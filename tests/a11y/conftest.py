"""Fixtures of the accessibility tests: Chromium pages in a chosen colour scheme, and axe-core."""

import os

import pytest
from django.db import connections
from django.test import Client

from tests.a11y.axe import axe_source
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path  # noqa: F401  (fixture)


@pytest.fixture(scope="session")
def axe():
    return axe_source()


@pytest.fixture
def browser_for(chromium_path, live_server):  # noqa: F811
    """`browser_for(color_scheme, **context_options)`: a fresh Chromium page in that scheme."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)

        def open_page(color_scheme: str, **options):
            context = browser.new_context(color_scheme=color_scheme, **options)
            page = context.new_page()
            page.set_default_timeout(15_000)
            return page

        try:
            yield open_page
        finally:
            browser.close()
            connections.close_all()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def log_in(page, live_server, user) -> None:
    """Give the page's browser a session of `user` (the log-in page is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
