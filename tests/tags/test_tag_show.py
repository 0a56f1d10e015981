"""The tag page: state, synonyms, parents, children, meta and sub tags, and its latest works."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from polis.tags.models import Tag, TagType
from polis.tags.wrangling import tag_add_meta, tag_add_parent, tag_make_synonym
from tests.works.support import parse

pytestmark = [pytest.mark.django_db, pytest.mark.both_search_engines]


@pytest.fixture
def the_100(wrangler, canonical, tag_of):
    """A small wrangled fandom: media → fandom → characters/ship, meta tags, a synonym."""
    media = canonical("TV Shows", TagType.MEDIA)
    fandom = canonical("The 100 (TV)", TagType.FANDOM)
    all_media = canonical("The 100 - All Media Types", TagType.FANDOM)
    tag_add_parent(actor=wrangler, child=fandom, parent=media)
    tag_add_meta(actor=wrangler, sub=fandom, meta=all_media)
    for name, tag_type in [
        ("Clarke Griffin", TagType.CHARACTER),
        ("Lexa", TagType.CHARACTER),
        ("Clarke Griffin/Lexa", TagType.RELATIONSHIP),
    ]:
        tag_add_parent(actor=wrangler, child=canonical(name, tag_type), parent=fandom)
    tag_make_synonym(actor=wrangler, tag=tag_of("The 100", TagType.FANDOM), of=fandom)
    return fandom


def section(page, name: str) -> list[str]:
    return page.texts(f"section.{name} a.tag")


def tree(node) -> list:
    """A nested `ul.tree` as [(name, [(name, [...]), ...]), ...]."""
    items = []
    for li in (child for child in node.children if not isinstance(child, str)):
        link = next(c for c in li.children if not isinstance(c, str) and c.tag == "a")
        below = [c for c in li.children if not isinstance(c, str) and c.tag == "ul"]
        items.append((link.text, tree(below[0]) if below else []))
    return items


def test_a_canonical_fandom_shows_its_relations(client, the_100):
    page = parse(client.get("/tags/The 100 (TV)"))

    assert page.select_one("p.state").text == (
        "This tag belongs to the Fandom category. "
        "It's a common tag. You can use it to filter works."
    )
    assert section(page, "synonym") == ["The 100"]
    assert section(page, "parent") == ["TV Shows"]
    assert page.texts("section.parent h4") == ["Media"]
    assert section(page, "meta") == ["The 100 - All Media Types"]
    assert page.texts("section.child h4") == ["Character", "Relationship"]
    assert section(page, "child") == ["Clarke Griffin", "Lexa", "Clarke Griffin/Lexa"]
    assert page.select("section.sub") == []


def test_sub_tags_are_shown_as_a_tree_and_meta_tags_up_the_chain(client, meta_chain):
    meta_chain("Alpha", "Beta", "Gamma", "Delta")

    top = parse(client.get("/tags/Alpha"))
    middle = parse(client.get("/tags/Gamma"))

    assert tree(top.select("section.sub ul.tree")[0]) == [("Beta", [("Gamma", [("Delta", [])])])]
    assert middle.texts("section.meta ul.direct a.tag") == ["Beta"]
    assert middle.texts("section.meta ul.further a.tag") == ["Alpha"]
    assert section(middle, "sub") == ["Delta"]


def test_a_synonym_names_its_canonical_tag(client, the_100):
    page = parse(client.get("/tags/The 100"))

    assert page.select_one("p.state").text == (
        "This tag belongs to the Fandom category. It has been made a synonym of The 100 (TV)."
    )
    assert page.select_one("p.state a.tag").get("href") == "/tags/The%20100%20(TV)"


@pytest.mark.parametrize(
    ("logged_in", "titles", "count"),
    [
        (False, ["Public 2", "Public 1"], "2 works. The latest:"),
        (True, ["Public 2", "Locked", "Public 1"], "3 works. The latest:"),
    ],
    ids=["guest", "reader"],
)
def test_latest_works_respect_visibility(make_user, make_work, canonical, logged_in, titles, count):
    canonical("Found Family")
    writer = make_user("writer")
    for title, restricted in [("Public 1", False), ("Locked", True), ("Public 2", False)]:
        make_work(writer, title=title, freeforms=["Found Family"], restricted=restricted)
    make_work(writer, title="Draft", freeforms=["Found Family"], post=False)
    client = Client()
    if logged_in:
        client.force_login(make_user("reader"))

    page = parse(client.get("/tags/Found Family"))

    assert page.texts("ol.recent cite.title") == titles
    assert page.select_one("section.works p.count").text == count
    assert ("Locked" in page.text) is logged_in
    assert "Draft" not in page.text


def test_only_the_five_latest_works_are_shown_with_a_link_to_all(
    client, make_user, make_work, canonical
):
    canonical("Many")
    writer = make_user("writer")
    for number in range(7):
        make_work(writer, title=f"W{number}", freeforms=["Many"])

    page = parse(client.get("/tags/Many"))

    assert page.texts("ol.recent cite.title") == ["W6", "W5", "W4", "W3", "W2"]
    assert page.select_one("section.works p.count").text == "7 works. The latest:"
    assert page.select("section.works p a")[-1].get("href") == "/tags/Many/works"


def test_an_unwrangled_tag_lists_works_carrying_it_as_typed(client, make_work):
    work = make_work(title="Typed", freeforms=["Rain"])

    page = parse(client.get("/tags/Rain"))

    assert "It has not been wrangled yet, but can still be used to find works." in page.text
    assert page.select_one("ol.recent li.work").get("id") == f"work_{work.pk}"


def test_a_synonym_lists_the_works_tagged_with_it_exactly(client, wrangler, make_work, the_100):
    make_work(title="Canonical", fandoms=["The 100 (TV)"])
    make_work(title="Short", fandoms=["The 100"])

    page = parse(client.get("/tags/The 100"))

    assert page.texts("ol.recent cite.title") == ["Short"]
    assert page.select_one("section.works p.count").text == (
        "1 work tagged exactly “The 100”. The latest:"
    )


@pytest.mark.parametrize(
    ("role", "shown"), [("anonymous", False), ("user", False), ("wrangler", True), ("admin", True)]
)
def test_the_edit_link_is_only_for_wranglers(client_as, canonical, role, shown):
    canonical("Angst")

    page = parse(client_as(role).get("/tags/Angst"))

    assert page.texts("ul.actions a") == (["Edit tag", "Unwrangled tags"] if shown else [])


def test_the_tag_page_runs_a_fixed_number_of_queries(
    client,
    make_user,
    make_work,
    the_100,
    django_assert_num_queries,
):
    writer = make_user("writer")
    make_work(writer, title="W0", fandoms=["The 100 (TV)"])
    client.get("/tags/The 100 (TV)")  # warm up what a process loads once
    with CaptureQueriesContext(connection) as one_work:
        client.get("/tags/The 100 (TV)")
    queries = len(one_work.captured_queries)  # read now: later requests reset the log
    for number in range(1, 8):
        make_work(writer, title=f"W{number}", fandoms=["The 100 (TV)"])
    client.get("/tags/The 100 (TV)")  # the search index catches up with the new works

    with django_assert_num_queries(queries):
        client.get("/tags/The 100 (TV)")


def test_tag_names_are_escaped_in_the_page(client, make_work):
    make_work(freeforms=['Say "Hi" & Bye'])
    tag = Tag.objects.get(name='Say "Hi" & Bye')

    html = client.get(tag.get_absolute_url()).content.decode()

    assert '<h1 class="heading">Say &quot;Hi&quot; &amp; Bye</h1>' in html


def test_a_big_fandom_shows_fifty_children_per_type_and_links_to_all(
    client, wrangler, canonical, make_work
):
    fandom = canonical("Big Fandom", TagType.FANDOM)
    names = [f"Person {number:02}" for number in range(52)]
    make_work(fandoms=["Big Fandom"], characters=names)
    for name in names:
        tag_add_parent(actor=wrangler, child=Tag.objects.get(name=name), parent=fandom)
    make_work(fandoms=["Big Fandom"], relationships=["Person 00/Person 01"])
    tag_add_parent(actor=wrangler, child=Tag.objects.get(name="Person 00/Person 01"), parent=fandom)

    page = parse(client.get("/tags/Big Fandom"))
    everything = parse(client.get("/tags/Big Fandom", {"children": "all"}))

    assert page.texts("section.child ul.character a.tag") == names[:50]
    assert page.texts("section.child ul.relationship a.tag") == ["Person 00/Person 01"]
    assert page.texts("section.child p.more a") == ["and 2 more Character tags"]
    assert page.select_one("section.child p.more a").get("href") == (
        "?children=all#children-heading"
    )
    assert everything.texts("section.child ul.character a.tag") == names
    assert everything.select("section.child p.more") == []
