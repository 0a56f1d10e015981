"""Every tag page: controls have labels, POST forms carry a CSRF token, nothing needs JS."""

import pytest

from polis.tags.models import TagType
from polis.tags.wrangling import tag_add_meta
from tests.works.support import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(wrangler, canonical, make_work, client_as):
    fandom = canonical("The 100 (TV)", TagType.FANDOM)
    tag_add_meta(actor=wrangler, sub=fandom, meta=canonical("The 100 - All", TagType.FANDOM))
    make_work(fandoms=["The 100 (TV)"], characters=["Raven"])
    return client_as("wrangler")


@pytest.mark.parametrize(
    "url",
    [
        "/tags/The 100 (TV)",
        "/tags/The 100 (TV)/edit",
        "/tags/Raven/edit",
        "/tags/unwrangled?fandom=The 100 (TV)",
        "/tags/unwrangled?tag_type=fandom",
        "/tags/search?name=the",
    ],
)
def test_controls_are_labelled_and_posts_are_protected(pages, url):
    response = pages.get(url)

    assert response.status_code == 200
    page = parse(response)
    controls = [
        node
        for node in page.select("main input") + page.select("main select")
        if node.get("type") not in {"hidden", "submit"}
    ]
    for control in controls:
        assert control.get("id"), control
        assert len(page.select(f"label[for={control.get('id')}]")) == 1, control
    for form in page.select("main form"):
        if (form.get("method") or "get").lower() == "post":
            assert len(form.select("input[name=csrfmiddlewaretoken]")) == 1, form
    assert len(page.select("main h1")) == 1
