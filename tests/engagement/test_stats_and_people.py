"""A creator's statistics page, and the muted and blocked users pages."""

import pytest
from django.urls import reverse

from polis.accounts.models import Block, Mute
from polis.engagement.bookmarks import bookmark_create
from polis.engagement.comments import comment_create
from polis.engagement.hits import hits_flush
from polis.engagement.kudos import kudos_give
from polis.engagement.subscriptions import subscription_create
from tests.engagement.conftest import VIEWERS, client_for
from tests.works.support import parse

pytestmark = pytest.mark.django_db

STATS_MATRIX = {
    "anonymous": 302,
    "other": 404,
    "creator": 200,
    "blocked": 404,
    "muted": 404,
    "admin": 404,
}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_statistics_are_for_the_creator_only(cast, viewer):
    people, _ = cast
    response = client_for(people, viewer).get(
        reverse("engagement:stats", kwargs={"username": "writer"})
    )
    assert response.status_code == STATS_MATRIX[viewer]


def test_statistics_per_work_and_sorting(make_user, make_work, client):
    writer = make_user("writer")
    fans = [make_user(f"fan{n}") for n in range(3)]
    quiet = make_work(writer, title="Quiet", text="<p>one two three four</p>")
    loved = make_work(writer, title="Loved", text="<p>one</p>")
    make_work(writer, title="Draft", post=False)
    for fan in fans:
        kudos_give(actor=fan, work=loved)
        client.force_login(fan)
        client.get(loved.get_absolute_url())
    hits_flush(everything=True)
    root, _ = comment_create(actor=fans[0], work=loved, text="Root")
    comment_create(actor=fans[1], work=loved, text="Reply", parent=root)
    comment_create(actor=fans[2], work=quiet, text="Hello")
    bookmark_create(actor=fans[0], work=loved)
    bookmark_create(actor=fans[1], work=loved, private=True)
    subscription_create(actor=fans[0], target=loved)
    client.force_login(writer)
    url = reverse("engagement:stats", kwargs={"username": "writer"})

    page = parse(client.get(url))

    rows = [[td.text for td in row.select("td")][2:] for row in page.select("table.stats tbody tr")]
    titles = page.texts("table.stats tbody td.title")
    assert titles == ["Loved", "Quiet"]  # by hits, most first
    # words, hits, kudos, threads, bookmarks (public), subscriptions
    assert rows == [["1", "3", "3", "1", "1", "1"], ["4", "0", "0", "1", "0", "0"]]
    assert [td.text for td in page.select("tr#stats_totals td")][1:] == [
        "5",
        "3",
        "3",
        "2",
        "1",
        "1",
    ]
    by_words = parse(client.get(url, {"sort": "words", "direction": "desc"}))
    assert by_words.texts("table.stats tbody td.title") == ["Quiet", "Loved"]
    by_title = parse(client.get(url, {"sort": "title", "direction": "asc"}))
    assert by_title.texts("table.stats tbody td.title") == ["Loved", "Quiet"]


def test_muting_and_unmuting_from_the_muted_users_page(cast):
    people, _ = cast
    client = client_for(people, "other")
    url = reverse("engagement:muted", kwargs={"username": "reader"})

    client.post(url, {"username": "WRITER"})
    assert list(
        Mute.objects.filter(user=people["other"]).values_list("muted__username", flat=True)
    ) == ["writer"]
    page = parse(client.get(url))
    assert page.texts("ul.muted.users li a") == ["writer"]

    client.post(reverse("engagement:unmute", kwargs={"username": "reader", "target": "writer"}))
    assert not Mute.objects.filter(user=people["other"]).exists()


@pytest.mark.parametrize("target", ["reader", "admin", "nobody-here"])
def test_one_cannot_block_oneself_an_admin_or_a_missing_user(cast, target):
    people, _ = cast
    client = client_for(people, "other")

    response = client.post(
        reverse("engagement:blocked", kwargs={"username": "reader"}), {"username": target}
    )

    assert response.status_code == 200
    message = parse(response).select_one("#error li").text
    assert (
        message
        == {
            "reader": "Username: You can't block yourself.",
            "admin": "Username: You can't block a site administrator.",
            "nobody-here": "Username: There is no user with that name.",
        }[target]
    )
    assert not Block.objects.filter(user=people["other"]).exists()


def test_block_confirmation_page_works_without_javascript(cast):
    people, _ = cast
    client = client_for(people, "other")
    url = reverse("engagement:block", kwargs={"username": "bore"})

    page = parse(client.get(url))
    assert page.select_one("h1.heading").text == "Block bore?"
    client.post(url)

    assert Block.objects.filter(user=people["other"], blocked=people["muted"]).exists()


# viewer → status of someone's muted-users page
PEOPLE_MATRIX = {
    "anonymous": 302,
    "other": 404,
    "creator": 200,
    "blocked": 404,
    "muted": 404,
    "admin": 404,
}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("kind", ["muted", "blocked"])
def test_muted_and_blocked_lists_are_private(cast, viewer, kind):
    people, _ = cast
    response = client_for(people, viewer).get(
        reverse(f"engagement:{kind}", kwargs={"username": "writer"})
    )
    assert response.status_code == PEOPLE_MATRIX[viewer]


def test_blocked_users_see_nothing_different_until_they_try(cast):
    people, work = cast
    page = parse(client_for(people, "blocked").get(work.get_absolute_url()))
    assert page.select_one("form#new_kudo") is not None
    assert page.select_one("form#comment_form") is not None
    assert "blocked" not in page.select_one("main").text.lower()


def test_muted_counts_for_a_listing_page(cast, make_work):
    from polis.engagement.counts import Hidden, muted_counts

    people, work = cast
    quiet = make_work(title="Quiet")
    comment_create(actor=people["muted"], work=work, text="One")
    comment_create(actor=people["muted"], work=work, text="Two")
    comment_create(actor=people["other"], work=work, text="Three")
    bookmark_create(actor=people["muted"], work=work)
    bookmark_create(actor=people["muted"], work=quiet, private=True)

    assert muted_counts(people["creator"], [work.pk, quiet.pk]) == {
        work.pk: Hidden(comments=2, bookmarks=1)
    }
    assert muted_counts(people["other"], [work.pk, quiet.pk]) == {}
