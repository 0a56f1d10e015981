"""A user's profile page and the tabs around every user page (AO3's: Dashboard, Profile,
Works, Series, Bookmarks, Collections, Gifts, Pseuds; the owner's own besides)."""

import pytest
from django.test import Client

from polis.accounts.actions import pseud_create
from tests.works.support import parse

pytestmark = pytest.mark.django_db

TABS = ["Dashboard", "Profile", "Works", "Series", "Bookmarks", "Collections", "Gifts", "Pseuds"]
OWN_TABS = ["Drafts", "Co-Creator Requests", "Settings"]


def test_the_profile_shows_pseuds_the_day_joined_and_the_user_id(make_user):
    ann = make_user("ann")
    pseud_create(actor=ann, name="Heda", description="<p>Writes <em>slowly</em>.</p>")
    response = Client().get("/users/ann/profile")
    assert response.status_code == 200
    page = parse(response)
    assert page.select_one("h1").text == "ann's Profile"
    assert page.texts("dl.meta dd") == [ann.date_joined.date().isoformat(), str(ann.pk)]
    assert [li.select_one("h3").text for li in page.select("li.pseud")] == ["ann", "Heda"]
    assert page.select("li.pseud")[1].select_one("blockquote").text == "Writes slowly."
    assert Client().get("/users/nobody/profile").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["", "/profile", "/works", "/series", "/bookmarks", "/collections", "/gifts", "/pseuds"],
)
def test_every_user_page_links_every_tab_and_each_answers(make_user, path):
    make_user("ann")
    viewer = make_user("viewer")
    for client, expected in [(Client(), TABS), (_logged_in(viewer), TABS)]:
        page = parse(client.get(f"/users/ann{path}"))
        nav = next(n for n in page.select("nav") if n.get("aria-label") == "ann's pages")
        links = nav.select("a")
        assert [a.text for a in links] == expected
        for link in links:
            assert client.get(link.get("href")).status_code == 200, link.get("href")


def test_the_owner_also_sees_their_own_tabs(make_user):
    ann = make_user("ann")
    page = parse(_logged_in(ann).get("/users/ann/profile"))
    nav = next(n for n in page.select("nav") if n.get("aria-label") == "ann's pages")
    assert [a.text for a in nav.select("a")] == TABS + OWN_TABS


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
