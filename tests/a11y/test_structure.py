"""Page structure for screen readers: one h1 naming each page, valid lists, and the tag
suggestions' script only where there are tag fields."""

import pytest
from bs4 import BeautifulSoup

from tests.a11y.pages import PASSWORD, build_archive
from tests.works.support import parse

AUTOCOMPLETE = "/static/polis/autocomplete.js"
# Pages beyond the catalogue whose forms have tag fields.
TAG_FIELD_PAGES = [
    "/works/search",
    "/people/search",
    "/tags/search",
    "/bookmarks/search",
    "/settings/blocklist",
    "/works/new",
    "/works",
    "/tags/Ariadne/works",
]


@pytest.mark.django_db
@pytest.mark.parametrize("logged_in", [False, True], ids=["logged out", "logged in"])
def test_every_page_type_has_one_h1_naming_it(client, logged_in):
    writer, pages = build_archive()
    if logged_in:
        assert client.login(username=writer.username, password=PASSWORD)
    shown = [page for page in pages if page.shown_to(logged_in=logged_in)]
    found = {}
    for page_type in shown:
        response = client.get(page_type.path)
        assert response.status_code == 200, page_type
        found[page_type.name] = [" ".join(h.text.split()) for h in parse(response).select("h1")]
    assert found == {page.name: [page.h1] for page in shown}


@pytest.mark.django_db
def test_the_autocomplete_script_is_loaded_exactly_where_there_are_tag_fields(client):
    writer, pages = build_archive()
    assert client.login(username=writer.username, password=PASSWORD)
    with_fields = {}
    with_script = {}
    for path in [page.path for page in pages] + TAG_FIELD_PAGES:
        page = parse(client.get(path))
        with_fields[path] = bool(page.select("input.tags"))
        with_script[path] = [s.get("src") for s in page.select("script[src]")] == [AUTOCOMPLETE]
    assert with_script == with_fields
    assert all(with_fields[path] for path in TAG_FIELD_PAGES)
    assert not with_fields["/"] and not with_fields["/api/v1/docs"]


@pytest.mark.django_db
def test_lists_keep_their_list_roles_and_the_chapter_index_is_a_navigation_landmark(client):
    writer, pages = build_archive()
    assert client.login(username=writer.username, password=PASSWORD)
    page_html = {page.name: client.get(page.path).content.decode() for page in pages}
    for name, html in page_html.items():
        page = parse(html)
        for element in ("li", "ol", "ul"):
            assert page.select(f"{element}[role]") == [], name
    soup = {name: BeautifulSoup(page_html[name], "html.parser") for name in page_html}
    work_page = soup["work with comments"]
    assert len(work_page.select("ol.thread > li.comment.group")) == 2
    assert len(work_page.select("ol.thread > li.comment.group > ol.thread > li.comment")) == 1
    assert len(soup["works listing"].select("ol.work.index > li.work.blurb.group")) == 1
    assert len(soup["bookmarks"].select("ol.bookmark.index > li.bookmark.blurb.group")) == 1
    index = soup["chapter index"]
    assert len(index.select('nav[aria-label="Chapters"] > ol.chapter.index.group > li')) == 2


@pytest.mark.django_db
def test_a_refused_log_in_opens_with_a_focused_summary(client):
    writer, pages = build_archive()
    refused = client.post("/users/login", {"login": "ariadne", "password": "wrong"})
    soup = BeautifulSoup(refused.content.decode(), "html.parser")
    summary = soup.select_one("main h1 + #error")
    assert (summary["tabindex"], summary.has_attr("autofocus")) == ("-1", True)
    assert summary["role"] == "alert"
