"""Deleting an account: works orphaned or deleted as chosen, comments others answered kept
in place as a deleted account's, sessions and API tokens dead at once; page and API."""

import pytest
from django.test import Client

from polis.accounts.models import Pseud, User
from polis.engagement.bookmarks import bookmark_create
from polis.engagement.comments import comment_create
from polis.engagement.kudos import kudos_give
from polis.engagement.models import Bookmark, Comment, Kudos
from polis.rights.deletion import account_delete
from polis.works.models import Creatorship, Series, Work
from polis.works.series import series_create
from tests.works.support import listed_work_ids, parse

PASSWORD = "a-long-test-password"


def logged_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def comment(actor, work, text, parent=None):
    return comment_create(actor=actor, work=work, text=text, parent=parent)[0]


@pytest.fixture
def threads(alice, bob, make_work):
    """On bob's work: alice → bob replies → alice replies; alice alone; alice → alice."""
    work = make_work(bob, title="Bob's")
    answered = comment(alice, work, "<p>alice, answered</p>")
    bobs_reply = comment(bob, work, "<p>bob replies</p>", parent=answered)
    alice_again = comment(alice, work, "<p>alice again</p>", parent=bobs_reply)
    alone = comment(alice, work, "<p>alice alone</p>")
    own_chain = comment(alice, work, "<p>alice chain</p>")
    comment(alice, work, "<p>alice to herself</p>", parent=own_chain)
    return {
        "work": work,
        "answered": answered,
        "bobs_reply": bobs_reply,
        "alice_again": alice_again,
        "alone": alone,
        "own_chain": own_chain,
    }


def test_delete_with_orphaning_keeps_works_and_answered_comments(
    alice, bob, make_work, threads, client
):
    mine = make_work(alice, title="Alice's")
    kudos_give(actor=alice, work=threads["work"])
    bookmark_create(actor=alice, work=threads["work"])
    alice_id = alice.pk

    account_delete(actor=alice, works="orphan", keep_pseud_name=True)

    assert not User.objects.filter(pk=alice_id).exists()
    assert not Pseud.objects.filter(user_id=alice_id).exists()
    assert [
        (c.pseud.user.username, c.pseud.name) for c in Creatorship.objects.filter(work=mine)
    ] == [("orphan_account", "alice")]
    assert listed_work_ids(client.get("/users/orphan_account/works")) == [mine.pk]
    # Only the comment bob answered stays, in its place, with bob's reply under it.
    remaining = {
        c.pk: (c.parent_id, c.user_id, c.pseud_id, c.content)
        for c in Comment.objects.filter(work=threads["work"])
    }
    assert remaining == {
        threads["answered"].pk: (None, None, None, "<p>alice, answered</p>"),
        threads["bobs_reply"].pk: (
            threads["answered"].pk,
            bob.pk,
            bob.pseuds.get().pk,
            "<p>bob replies</p>",
        ),
    }
    work = Work.objects.get(pk=threads["work"].pk)
    assert (work.comment_count, work.kudos_count, work.bookmark_count) == (2, 0, 0)
    assert not Kudos.objects.filter(work=work).exists()
    assert not Bookmark.objects.exists()
    page = parse(client.get(f"/comments/{threads['answered'].pk}"))
    assert [h.text.split(" ")[0] for h in page.select("li.comment h4.byline")][:1] == ["(Deleted"]
    assert (
        page.select(f"li#comment_{threads['answered'].pk} h4.byline span.guest")[0].text
        == "(Deleted account)"
    )


def test_delete_with_deleting_works_keeps_shared_ones_for_co_creators(alice, bob, make_work):
    solo = make_work(alice, title="Solo")
    shared = make_work(alice, title="Shared")
    Creatorship.objects.create(work=shared, pseud=bob.pseuds.get(), accepted=True)
    own_series = series_create(actor=alice, title="Alice's series")
    both_series = series_create(actor=alice, title="Both")
    both_series.pseuds.add(bob.pseuds.get())

    account_delete(actor=alice, works="delete")

    assert not Work.objects.filter(pk=solo.pk).exists()
    assert [c.pseud.user.username for c in Creatorship.objects.filter(work=shared)] == ["bob"]
    assert not Series.objects.filter(pk=own_series.pk).exists()
    assert list(Series.objects.get(pk=both_series.pk).pseuds.values_list("name", flat=True)) == [
        "bob"
    ]
    assert not User.objects.filter(username="orphan_account").exists()


def test_sessions_and_tokens_die_at_once(alice, api_as):
    api = api_as(alice)
    assert api.get("/me").status_code == 200
    other = logged_in(alice)
    assert other.get("/settings").status_code == 200
    page = logged_in(alice)

    response = page.post("/users/alice/delete", {"works": "orphan_drop", "password": PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(username="alice").exists()
    assert api.get("/me").status_code == 401
    assert other.get("/settings").status_code == 302  # to the log-in page
    assert other.get("/api/v1/me").status_code == 401


def test_delete_page_needs_the_password_and_the_owner(alice, bob, make_work):
    work = make_work(alice)
    assert logged_in(bob).get("/users/alice/delete").status_code == 404
    page = parse(logged_in(alice).get("/users/alice/delete"))
    form = page.select_one("main form[method=post]")
    assert [i.get("value") for i in form.select("input[name=works]")] == [
        "orphan_keep",
        "orphan_drop",
        "delete",
    ]
    assert len(form.select("input[name=csrfmiddlewaretoken]")) == 1
    wrong = logged_in(alice).post("/users/alice/delete", {"works": "delete", "password": "nope"})
    assert wrong.status_code == 200
    assert "That is not your password." in wrong.content.decode()
    assert Work.objects.filter(pk=work.pk).exists()
    assert User.objects.filter(username="alice").exists()


def test_delete_through_the_api(alice, make_work, api_as, threads):
    work = make_work(alice)
    api = api_as(alice)
    refused = api.post("/me/delete", {"works": "delete", "password": "nope"})
    assert refused.status_code == 403
    assert User.objects.filter(username="alice").exists()
    assert api.post("/me/delete", {"works": "delete", "password": PASSWORD}).status_code == 204
    assert not User.objects.filter(username="alice").exists()
    assert not Work.objects.filter(pk=work.pk).exists()
    assert set(Comment.objects.values_list("pk", flat=True)) == {
        threads["answered"].pk,
        threads["bobs_reply"].pk,
    }
    assert api.get("/me").status_code == 401
