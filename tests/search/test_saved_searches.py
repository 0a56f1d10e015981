"""Saved searches: the form on listing pages, the owner's page, deleting, and their limits."""

import pytest
from django.test import Client

from polis.search.actions import MAX_SAVED_SEARCHES, saved_search_create
from polis.search.models import SavedSearch
from tests.search.conftest import tag
from tests.works.support import listed_work_ids, parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def alice_client(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    return client


@pytest.fixture
def works(make_user, make_work, canonical):
    writer = make_user("writer")
    fluff = make_work(writer, title="Fluffy", fandoms=["The 100 (TV)"], freeforms=["Fluff"])
    angst = make_work(writer, title="Sad", fandoms=["The 100 (TV)"], freeforms=["Angst"])
    canonical("The 100 (TV)", "Fluff", "Angst")
    return {"fluff": fluff, "angst": angst}


def csrf_token(client, path):
    page = parse(client.get(path))
    return page.select_one("form.save-search input[name=csrfmiddlewaretoken]").get("value")


@pytest.mark.both_search_engines
def test_the_save_form_is_on_listing_pages_for_logged_in_readers(alice_client, works):
    response = alice_client.get(
        "/tags/The 100 (TV)/works", {"work_search[complete]": "", "page": "1"}
    )
    form = parse(response).select_one("form.save-search")

    assert form.get("method") == "post"
    assert form.get("action") == "/saved_searches"
    assert form.select_one("label[for=saved_search_name]").text == "Name"
    assert form.select_one("input#saved_search_name").get("name") == "name"
    # The listing without its page number (empty fields are dropped when saving).
    assert form.select_one("input[name=query]").get("value") == (
        "/tags/The%20100%20(TV)/works?work_search%5Bcomplete%5D="
    )
    assert form.select("input[name=csrfmiddlewaretoken]")


@pytest.mark.parametrize("path", ["/works", "/works/search?work_search[query]=sad"])
def test_guests_get_no_save_form(client, works, path):
    assert parse(client.get(path)).select("form.save-search") == []


@pytest.mark.both_search_engines
def test_the_search_page_shows_the_form_once_something_is_asked(alice_client, works):
    assert parse(alice_client.get("/works/search")).select("form.save-search") == []
    response = alice_client.get("/works/search", {"work_search[query]": "sad"})
    assert len(parse(response).select("form.save-search")) == 1


@pytest.mark.both_search_engines
def test_saving_keeps_the_filters_and_leads_back_to_the_listing(alice_client, alice, works):
    angst = tag("Angst").pk
    path = f"/tags/The%20100%20(TV)/works?exclude_work_search%5Bfreeform_ids%5D%5B%5D={angst}"
    token = csrf_token(alice_client, path)

    response = alice_client.post(
        "/saved_searches",
        {"name": "No angst", "query": path + "&page=3", "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    assert response["Location"] == path
    saved = SavedSearch.objects.get(user=alice)
    assert (saved.name, saved.query) == ("No angst", path)
    assert listed_work_ids(alice_client.get(saved.query)) == [works["fluff"].pk]


def test_saving_needs_the_csrf_token(alice_client, alice, works):
    response = alice_client.post("/saved_searches", {"name": "x", "query": "/works"})

    assert response.status_code == 403
    assert SavedSearch.objects.count() == 0


def test_guests_cannot_save(client, works):
    response = client.post("/saved_searches", {"name": "x", "query": "/works"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert SavedSearch.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [
        ("", "/works", "This field is required."),
        ("   ", "/works", "This field is required."),
        (
            "Off site",
            "https://evil.example/works",
            "Only this archive's work listings can be saved.",
        ),
        ("Off site", "//evil.example/works", "Only this archive's work listings can be saved."),
        ("Admin", "/admin/", "Only this archive's work listings can be saved."),
        ("A work", "/works/1", "Only this archive's work listings can be saved."),
        ("Relative", "works", "Only this archive's work listings can be saved."),
        ("Long", "/works?work_search[query]=" + "a" * 2100, "This search is too long to save."),
        ("N" * 101, "/works", "Ensure this value has at most 100 characters (it has 101)."),
    ],
)
def test_refused_saves_say_why_and_save_nothing(alice_client, works, name, query, message):
    token = csrf_token(alice_client, "/works")

    response = alice_client.post(
        "/saved_searches", {"name": name, "query": query, "csrfmiddlewaretoken": token}, follow=True
    )

    assert SavedSearch.objects.count() == 0
    assert parse(response).texts("ul.flash li.error") == [message]


def test_names_are_unique_per_reader(alice_client, alice, make_user, works):
    saved_search_create(actor=alice, name="Mine", query="/works")
    saved_search_create(actor=make_user("bob"), name="Mine", query="/works")
    token = csrf_token(alice_client, "/works")

    response = alice_client.post(
        "/saved_searches",
        {"name": "Mine", "query": "/works?work_search[query]=x", "csrfmiddlewaretoken": token},
        follow=True,
    )

    assert parse(response).texts("ul.flash li.error") == [
        "You already have a saved search named “Mine”."
    ]
    assert SavedSearch.objects.filter(user=alice).count() == 1


def test_at_most_fifty_saved_searches(alice_client, alice, works):
    for n in range(MAX_SAVED_SEARCHES):
        saved_search_create(actor=alice, name=f"Search {n}", query=f"/works?work_search[query]={n}")
    token = csrf_token(alice_client, "/works")

    response = alice_client.post(
        "/saved_searches",
        {"name": "One more", "query": "/works", "csrfmiddlewaretoken": token},
        follow=True,
    )

    assert parse(response).texts("ul.flash li.error") == [
        "You can keep at most 50 saved searches; delete one first."
    ]
    assert SavedSearch.objects.filter(user=alice).count() == MAX_SAVED_SEARCHES


def test_the_owner_lists_their_saved_searches(alice_client, alice, works):
    first = saved_search_create(actor=alice, name="Fluff only", query="/tags/Fluff/works")
    second = saved_search_create(
        actor=alice, name="Search: sad", query="/works/search?work_search[query]=sad"
    )

    page = parse(alice_client.get("/users/alice/saved_searches"))

    links = page.select("li.saved-search a")
    assert [(a.text, a.get("href")) for a in links] == [
        ("Search: sad", "/works/search?work_search%5Bquery%5D=sad"),
        ("Fluff only", "/tags/Fluff/works"),
    ]
    assert [form.get("action") for form in page.select("li.saved-search form")] == [
        f"/users/alice/saved_searches/{second.pk}/delete",
        f"/users/alice/saved_searches/{first.pk}/delete",
    ]


@pytest.mark.parametrize("who", ["anonymous", "another user", "wrangler", "admin", "owner"])
def test_only_the_owner_sees_or_deletes_saved_searches(who, alice, make_user, works):
    saved = saved_search_create(actor=alice, name="Mine", query="/works")
    client = Client()
    if who == "owner":
        client.force_login(alice)
    elif who == "another user":
        client.force_login(make_user("bob"))
    elif who == "wrangler":
        client.force_login(make_user("wrangler2", is_tag_wrangler=True))
    elif who == "admin":
        client.force_login(make_user("root", is_staff=True, is_superuser=True))

    shown = client.get("/users/alice/saved_searches")
    deleted = client.post(f"/users/alice/saved_searches/{saved.pk}/delete")

    if who == "owner":
        assert shown.status_code == 200
        assert deleted.status_code == 302
        assert not SavedSearch.objects.exists()
    else:
        assert shown.status_code == 404
        assert deleted.status_code == 404
        assert SavedSearch.objects.get().name == "Mine"


def test_a_reader_cannot_delete_another_readers_search_through_their_own_page(
    alice, make_user, works
):
    bobs = saved_search_create(actor=make_user("bob"), name="Bob's", query="/works")
    client = Client()
    client.force_login(alice)

    response = client.post(f"/users/alice/saved_searches/{bobs.pk}/delete")

    assert response.status_code == 404
    assert SavedSearch.objects.get().name == "Bob's"


def test_deleting_needs_a_post(alice, works):
    saved = saved_search_create(actor=alice, name="Mine", query="/works")
    client = Client()
    client.force_login(alice)

    assert client.get(f"/users/alice/saved_searches/{saved.pk}/delete").status_code == 405
    assert SavedSearch.objects.count() == 1
