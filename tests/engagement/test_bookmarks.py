"""Bookmarks: notes, own tags, private, rec, off-site works, counts, and deleted works."""

import pytest
from django.urls import reverse

from polis.engagement.bookmarks import bookmark_create, external_work_find_or_create
from polis.engagement.models import Bookmark, ExternalWork
from polis.works.actions import work_delete
from tests.engagement.conftest import VIEWERS, client_for
from tests.works.support import parse

pytestmark = pytest.mark.django_db


def _bookmark_ids(response) -> list[int]:
    return [
        int(node.get("id").removeprefix("bookmark_"))
        for node in parse(response).select("li.bookmark.blurb")
    ]


def test_bookmarking_a_work_keeps_notes_tags_private_and_rec(cast):
    people, work = cast
    client = client_for(people, "other")

    response = client.post(
        reverse("engagement:work_bookmark", kwargs={"work_id": work.pk}),
        {
            "notes": "<p onclick='x()'>Read <em>twice</em></p><script>bad()</script>",
            "tags": "comfort read, Lighthouses, comfort READ",
            "rec": "on",
        },
    )

    bookmark = Bookmark.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/bookmarks/{bookmark.pk}"
    assert bookmark.notes == "<p>Read <em>twice</em></p>"
    assert [t.name for t in bookmark.tags.all()] == ["comfort read", "Lighthouses"]
    assert (bookmark.private, bookmark.rec) == (False, True)
    work.refresh_from_db()
    assert work.bookmark_count == 1
    page = parse(client.get(response["Location"]))
    assert page.texts("li.bookmark.blurb ul.tags a.tag") == ["comfort read", "Lighthouses"]
    assert page.select_one("li.bookmark.blurb span.rec").text == "(Rec)"


def test_double_submitted_bookmark_makes_one(cast):
    people, work = cast
    url = reverse("engagement:work_bookmark", kwargs={"work_id": work.pk})
    client = client_for(people, "other")

    client.post(url, {"notes": "one"})
    second = client.post(url, {"notes": "two"})

    assert Bookmark.objects.count() == 1
    assert second.status_code == 302  # to the edit page of the existing bookmark
    assert second["Location"] == f"/bookmarks/{Bookmark.objects.get().pk}/edit"


def test_bookmark_form_keeps_input_and_names_the_error(cast):
    people, work = cast
    bad_tag = "ok, bad<tag"

    response = client_for(people, "other").post(
        reverse("engagement:work_bookmark", kwargs={"work_id": work.pk}),
        {"notes": "My notes", "tags": bad_tag},
    )

    assert response.status_code == 200
    page = parse(response)
    assert page.select_one("textarea#id_notes").text == "My notes"
    assert page.select_one("input#id_tags").get("value") == bad_tag
    assert page.select_one("#error li").text.startswith("Your tags: Tag “bad<tag” contains")
    assert Bookmark.objects.count() == 0


# viewer → sees the reader's private bookmark
PRIVATE_MATRIX = {
    "anonymous": False,
    "other": True,  # the owner
    "creator": False,
    "blocked": False,
    "muted": False,
    "admin": False,
}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_private_bookmarks_are_for_their_owner_only(cast, viewer):
    people, work = cast
    bookmark, _ = bookmark_create(actor=people["other"], work=work, private=True)
    client = client_for(people, viewer)

    listing = client.get(reverse("engagement:user_bookmarks", kwargs={"username": "reader"}))
    single = client.get(bookmark.get_absolute_url())

    shown = PRIVATE_MATRIX[viewer]
    assert _bookmark_ids(listing) == ([bookmark.pk] if shown else [])
    assert single.status_code == (200 if shown else 404)
    work.refresh_from_db()
    assert work.bookmark_count == 0  # private bookmarks are not counted


# viewer → may edit the reader's bookmark
EDIT_MATRIX = {
    "anonymous": 302,
    "other": 200,
    "creator": 404,
    "blocked": 404,
    "muted": 404,
    "admin": 404,
}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_only_the_bookmarker_may_edit_or_delete(cast, viewer):
    people, work = cast
    bookmark, _ = bookmark_create(actor=people["other"], work=work, notes="mine")
    client = client_for(people, viewer)

    edit = client.post(
        reverse("engagement:bookmark_edit", kwargs={"bookmark_id": bookmark.pk}),
        {"notes": "changed", "tags": ""},
    )
    delete = client.post(reverse("engagement:bookmark_delete", kwargs={"bookmark_id": bookmark.pk}))

    expected = EDIT_MATRIX[viewer]
    assert edit.status_code == (302 if expected == 200 else expected)
    assert delete.status_code == (302 if expected == 200 else expected)
    assert Bookmark.objects.filter(pk=bookmark.pk).exists() is (expected != 200)


def test_a_bookmark_survives_the_deletion_of_its_work(cast, client):
    people, work = cast
    bookmark, _ = bookmark_create(actor=people["other"], work=work, notes="Loved it")

    work_delete(actor=people["creator"], work=work)

    bookmark.refresh_from_db()
    assert bookmark.work_id is None
    page = parse(client.get(reverse("engagement:user_bookmarks", kwargs={"username": "reader"})))
    assert page.select_one("li.bookmark.blurb p.message").text == "This has been deleted, sorry!"
    assert page.select_one("li.bookmark.blurb blockquote.notes").text == "Loved it"


def test_bookmarks_of_off_site_works(cast):
    people, work = cast
    client = client_for(people, "other")
    data = {
        "url": "https://example.org/stories/42",
        "title": "Elsewhere",
        "creator": "Someone",
        "fandom": "Original Work",
        "rating": "Mature",
        "notes": "Good",
        "tags": "",
    }

    first = client.post(reverse("engagement:bookmark_external"), data)
    client_for(people, "admin").post(reverse("engagement:bookmark_external"), data)

    assert first.status_code == 302
    assert ExternalWork.objects.count() == 1  # one off-site work, shared by its bookmarks
    assert Bookmark.objects.filter(external__isnull=False).count() == 2
    page = parse(client.get(first["Location"]))
    heading = page.select_one("li.bookmark.blurb h4.heading")
    assert heading.text == "Elsewhere by Someone (External Work)"
    assert heading.select_one("a").get("href") == "https://example.org/stories/42"


def test_external_bookmark_needs_a_web_address(cast):
    people, _ = cast
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        external_work_find_or_create(
            actor=people["other"], url="javascript:alert(1)", title="T", creator="C", fandom="F"
        )
    assert error.value.message_dict == {
        "url": ["Please enter a web address starting with http:// or https://."]
    }


def test_work_bookmark_listing_respects_restriction_and_muting(make_user, make_work, client):
    writer, fan, bore = make_user("writer"), make_user("fan"), make_user("bore")
    locked = make_work(writer, restricted=True)
    mine, _ = bookmark_create(actor=fan, work=locked)
    theirs, _ = bookmark_create(actor=bore, work=locked)
    from polis.engagement.relations import mute_add

    mute_add(actor=fan, target=bore)
    url = reverse("engagement:work_bookmarks", kwargs={"work_id": locked.pk})
    index = reverse("engagement:bookmarks")

    assert _bookmark_ids(client.get(index)) == []
    client.force_login(fan)
    assert _bookmark_ids(client.get(url)) == [mine.pk]
    assert _bookmark_ids(client.get(index)) == [mine.pk]
    assert (
        parse(client.get(locked.get_absolute_url())).select_one("dl.stats dd.bookmarks").text == "1"
    )
    client.force_login(writer)
    assert _bookmark_ids(client.get(url)) == [theirs.pk, mine.pk]
    assert (
        parse(client.get(locked.get_absolute_url())).select_one("dl.stats dd.bookmarks").text == "2"
    )


def test_bookmarks_of_a_muted_creators_works_are_hidden(make_user, make_work, client):
    writer, fan, reader = make_user("writer"), make_user("fan"), make_user("reader")
    work = make_work(writer)
    bookmark_create(actor=fan, work=work)
    from polis.engagement.relations import mute_add

    mute_add(actor=reader, target=writer)
    client.force_login(reader)

    assert _bookmark_ids(client.get(reverse("engagement:bookmarks"))) == []


def test_bookmarks_filtered_by_the_bookmarkers_tag(make_user, make_work, client):
    fan = make_user("fan")
    one, two = make_work(title="One"), make_work(title="Two")
    first, _ = bookmark_create(actor=fan, work=one, tags=["Fluff"])
    bookmark_create(actor=fan, work=two, tags=["Angst"])

    response = client.get(
        reverse("engagement:user_bookmarks", kwargs={"username": "fan"}), {"tag": "fluff"}
    )

    assert _bookmark_ids(response) == [first.pk]


def test_bookmark_listing_runs_a_fixed_number_of_queries(make_user, make_work, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fan = make_user("fan")
    for n in range(2):
        bookmark_create(actor=fan, work=make_work(title=f"W{n}"), tags=["A", "B"])
    url = reverse("engagement:user_bookmarks", kwargs={"username": "fan"})
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(2, 12):
        bookmark_create(actor=fan, work=make_work(title=f"W{n}"), tags=["A", "B"])
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(_bookmark_ids(response)) == 12
    assert len(many.captured_queries) == len(few.captured_queries)
