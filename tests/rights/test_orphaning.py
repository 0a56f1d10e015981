"""Orphaning a work, a series, a pseud's works and everything: the byline, every listing,
search, the tag page and the API follow; the writer's own listings no longer show them."""

import pytest
from django.test import Client

from polis.accounts.actions import pseud_create
from polis.accounts.models import User
from polis.works.models import Creatorship
from polis.works.orphaning import (
    account_orphan_all,
    orphan_account,
    pseud_orphan,
    series_orphan,
    work_orphan,
)
from polis.works.series import series_add_work, series_create
from tests.works.support import listed_work_ids, parse

pytestmark = pytest.mark.both_search_engines


def credited(work) -> list[tuple[str, str]]:
    return sorted(
        (c.pseud.user.username, c.pseud.name)
        for c in Creatorship.objects.filter(work=work).select_related("pseud__user")
    )


def bylines(response) -> dict[int, list[str]]:
    """Each listed work's byline links, as shown."""
    return {
        int(node.get("id").removeprefix("work_")): [a.text for a in node.select("a[rel=author]")]
        for node in parse(response).select("li.work.blurb")
    }


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_orphan_keeping_the_name_credits_a_namesake_pseud_of_orphan_account(
    client, alice, make_work, api_as
):
    kept = make_work(alice, title="Kept Name")
    other = make_work(alice, title="Still Mine")

    work_orphan(actor=alice, work=kept, keep_pseud_name=True)

    assert credited(kept) == [("orphan_account", "alice")]
    assert credited(other) == [("alice", "alice")]
    assert sorted(orphan_account().pseuds.values_list("name", "is_default")) == [
        ("alice", False),
        ("orphan_account", True),
    ]
    # Gone from alice's listings, there under orphan_account's, in search and on the tag page.
    assert listed_work_ids(client.get("/users/alice/works")) == [other.pk]
    assert listed_work_ids(client.get("/users/orphan_account/works")) == [kept.pk]
    assert bylines(client.get("/users/orphan_account/works")) == {
        kept.pk: ["alice (orphan_account)"]
    }
    search = client.get("/works/search", {"work_search[query]": "Kept"})
    assert bylines(search) == {kept.pk: ["alice (orphan_account)"]}
    tag_page = client.get("/tags/Original Work/works")
    assert bylines(tag_page) == {kept.pk: ["alice (orphan_account)"], other.pk: ["alice"]}
    by_creator = client.get("/works/search", {"work_search[creators]": "orphan_account"})
    assert list(bylines(by_creator)) == [kept.pk]
    # The API says the same.
    shown = api_as(None).get(f"/works/{kept.pk}").json()
    assert shown["creators"] == [
        {
            "pseud": "alice",
            "username": "orphan_account",
            "url": "http://testserver/users/orphan_account/pseuds/alice",
        }
    ]
    listed = api_as(None).get("/users/alice/works").json()
    assert [w["id"] for w in listed["results"]] == [other.pk]
    orphans = api_as(None).get("/users/orphan_account/works").json()
    assert [w["id"] for w in orphans["results"]] == [kept.pk]
    # alice can no longer edit it.
    assert logged_in(alice).get(f"/works/{kept.pk}/edit").status_code == 404


def test_orphan_dropping_the_name_credits_orphan_account_itself(client, alice, make_work):
    work = make_work(alice, title="Dropped")
    work_orphan(actor=alice, work=work, keep_pseud_name=False)
    assert credited(work) == [("orphan_account", "orphan_account")]
    assert bylines(client.get("/tags/Original Work/works")) == {work.pk: ["orphan_account"]}
    assert listed_work_ids(client.get("/users/alice/works")) == []


def test_co_creators_stay_and_two_orphans_of_one_name_share_its_pseud(alice, bob, make_work):
    shared = make_work(alice, title="Shared")
    Creatorship.objects.create(work=shared, pseud=bob.pseuds.get(), accepted=True)
    work_orphan(actor=alice, work=shared, keep_pseud_name=True)
    assert credited(shared) == [("bob", "bob"), ("orphan_account", "alice")]
    second = make_work(alice, title="Second")
    work_orphan(actor=alice, work=second, keep_pseud_name=True)
    assert orphan_account().pseuds.filter(name="alice").count() == 1


def test_orphan_a_series_orphans_it_and_its_works(alice, make_work):
    one, two = make_work(alice, title="One"), make_work(alice, title="Two")
    series = series_create(actor=alice, title="Saga")
    series_add_work(actor=alice, series=series, work=one)
    series_add_work(actor=alice, series=series, work=two)
    untouched = make_work(alice, title="Outside")

    series_orphan(actor=alice, series=series, keep_pseud_name=False)

    assert list(series.pseuds.values_list("user__username", "name")) == [
        ("orphan_account", "orphan_account")
    ]
    assert credited(one) == credited(two) == [("orphan_account", "orphan_account")]
    assert credited(untouched) == [("alice", "alice")]


def test_orphan_a_pseud_orphans_only_its_works(alice, make_work):
    side = pseud_create(actor=alice, name="Sideline")
    from polis.works.actions import ChapterInput, WorkInput, work_create

    by_side = work_create(
        actor=alice,
        pseuds=[side],
        data=WorkInput(
            title="Side",
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=["Original Work"],
        ),
        chapter=ChapterInput(text="<p>Words.</p>"),
        post=True,
    )
    main = make_work(alice, title="Main")
    assert pseud_orphan(actor=alice, pseud=side, keep_pseud_name=True) == 1
    assert credited(by_side) == [("orphan_account", "Sideline")]
    assert credited(main) == [("alice", "alice")]


def test_orphan_everything(client, alice, make_work):
    works = [make_work(alice, title=f"W{n}") for n in range(3)]
    draft = make_work(alice, title="Draft", post=False)
    series = series_create(actor=alice, title="Saga")
    assert account_orphan_all(actor=alice, keep_pseud_name=True) == 4
    assert {credited(w)[0] for w in [*works, draft]} == {("orphan_account", "alice")}
    assert list(series.pseuds.values_list("user__username", flat=True)) == ["orphan_account"]
    assert listed_work_ids(client.get("/users/alice/works")) == []
    assert sorted(listed_work_ids(client.get("/users/orphan_account/works"))) == sorted(
        w.pk for w in works
    )


def test_orphan_page_needs_the_creator_and_a_csrf_token(alice, bob, make_work):
    work = make_work(alice, title="Mine")
    assert logged_in(bob).get(f"/works/{work.pk}/orphan").status_code == 404
    assert (
        logged_in(bob).post(f"/works/{work.pk}/orphan", {"pseud_name": "keep"}).status_code == 404
    )
    assert credited(work) == [("alice", "alice")]

    def links(client):
        return [a.get("href") for a in parse(client.get(f"/works/{work.pk}")).select("a")]

    assert f"/works/{work.pk}/orphan" in links(logged_in(alice))
    assert f"/works/{work.pk}/orphan" not in links(logged_in(bob))

    page = logged_in(alice).get(f"/works/{work.pk}/orphan")
    form = parse(page).select_one("main form[method=post]")
    assert [i.get("value") for i in form.select("input[name=pseud_name]")] == ["keep", "drop"]
    assert len(form.select("input[name=csrfmiddlewaretoken]")) == 1
    assert [label.text for label in form.select("label")] == [
        "Keep my pseud's name on it (credited to orphan_account)",
        "Remove my pseud's name (credited to orphan_account only)",
    ]

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(f"/works/{work.pk}/orphan", {"pseud_name": "keep"}).status_code == 403
    assert credited(work) == [("alice", "alice")]

    response = logged_in(alice).post(f"/works/{work.pk}/orphan", {"pseud_name": "drop"})
    assert response.status_code == 302
    assert credited(work) == [("orphan_account", "orphan_account")]


def test_orphan_all_page(alice, bob, make_work):
    work = make_work(alice)
    assert logged_in(bob).get("/users/alice/orphan").status_code == 404
    assert logged_in(alice).post("/users/alice/orphan", {"pseud_name": "keep"}).status_code == 302
    assert credited(work) == [("orphan_account", "alice")]


def test_orphan_through_the_api(alice, bob, make_work, api_as):
    work = make_work(alice, title="By API")
    assert api_as(bob).post(f"/works/{work.pk}/orphan", {}).status_code == 404
    assert api_as(None).post(f"/works/{work.pk}/orphan", {}).status_code == 401
    response = api_as(alice).post(f"/works/{work.pk}/orphan", {"keep_pseud_name": False})
    assert response.status_code == 200
    assert response.json() == {"orphaned_works": 1, "owner": "orphan_account"}
    assert credited(work) == [("orphan_account", "orphan_account")]

    series = series_create(actor=alice, title="S")
    mine = make_work(alice, title="In series")
    series_add_work(actor=alice, series=series, work=mine)
    answer = api_as(alice).post(f"/series/{series.pk}/orphan", {"keep_pseud_name": True})
    assert answer.json() == {"orphaned_works": 1, "owner": "orphan_account"}
    assert credited(mine) == [("orphan_account", "alice")]

    last = make_work(alice, title="Last")
    assert api_as(alice).post("/me/pseuds/alice/orphan", {}).json()["orphaned_works"] == 1
    assert credited(last) == [("orphan_account", "alice")]
    assert api_as(alice).post("/me/orphan", {}).json()["orphaned_works"] == 0
