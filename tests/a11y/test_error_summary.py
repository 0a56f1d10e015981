"""A refused form opens with its error summary focused, with or without JavaScript, and each
error links to its field."""

import pytest

from tests.a11y.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without"])
def test_a_refused_posting_form_focuses_its_error_summary(
    browser_for, live_server, make_user, javascript
):
    writer = make_user("writer")
    page = browser_for("light", java_script_enabled=javascript)
    log_in(page, live_server, writer)
    page.goto(f"{live_server.url}/works/new")
    page.get_by_label("Work Title").fill("Nameless")
    page.get_by_role("button", name="Post").click()

    summary = page.locator("#error")
    assert page.evaluate("document.activeElement.id") == "error"
    assert summary.get_attribute("role") == "alert"
    # First after the page's heading: without focus moving, it is still read first.
    assert page.evaluate("document.querySelector('main h1').nextElementSibling.id") == "error"
    links = summary.locator("a")
    assert links.count() >= 2
    for href in links.evaluate_all("links => links.map(link => link.getAttribute('href'))"):
        assert page.locator(href).count() == 1, href
    summary.get_by_role("link", name="Fandoms").click()
    assert page.evaluate("document.activeElement.name") == "fandoms"
