"""Every feedback route of the REST API, with the permission matrix of the pages."""

import pytest
from django.core.cache import cache

from polis.engagement.bookmarks import bookmark_create
from polis.engagement.comments import comment_create, comment_settings_update
from polis.engagement.kudos import kudos_give
from polis.engagement.models import Bookmark, Comment, Kudos, Notification, Subscription
from polis.engagement.reading import reading_mark_for_later
from polis.works.actions import work_delete
from tests.api.conftest import fields
from tests.engagement.conftest import VIEWERS

pytestmark = pytest.mark.django_db

API_VIEWERS = [v for v in VIEWERS]


def _api(api_for, people, viewer):
    return api_for(None if viewer == "anonymous" else people[viewer])


# ---------------------------------------------------------------- kudos

KUDOS = {
    "anonymous": (401, 0),
    "other": (201, 1),
    "creator": (403, 0),
    "blocked": (403, 0),
    "muted": (201, 1),
    "admin": (201, 1),
}


@pytest.mark.parametrize("viewer", API_VIEWERS)
def test_kudos_route_matrix(cast, api_for, viewer):
    people, work = cast

    response = _api(api_for, people, viewer).post(f"/works/{work.pk}/kudos", {})

    status, count = KUDOS[viewer]
    assert response.status_code == status
    assert Kudos.objects.count() == count
    if status == 403:
        assert response.json()["detail"] in {
            "You can't leave kudos on your own work.",
            "Sorry, you have been blocked by one of the creators of this work.",
        }


def test_kudos_twice_is_one_record_and_lists_givers(cast, api_for):
    people, work = cast
    api = api_for(people["other"])

    first = api.post(f"/works/{work.pk}/kudos", {})
    second = api.post(f"/works/{work.pk}/kudos", {})
    chapter = work.chapters.get()
    on_chapter = api.post(f"/works/{work.pk}/kudos", {"chapter_id": chapter.pk})

    assert (first.status_code, second.status_code, on_chapter.status_code) == (201, 200, 201)
    assert second.json() == {
        "created": False,
        "kudos": 1,
        "chapter_kudos": None,
        "users": ["reader"],
        "more_users": 0,
        "guests": 0,
    }
    assert on_chapter.json()["chapter_kudos"] == 1
    assert on_chapter.json()["kudos"] == 1
    listing = api_for(None).get(f"/works/{work.pk}/kudos")
    assert listing.json()["users"] == ["reader"]


# ---------------------------------------------------------------- comments

COMMENT = {
    "anonymous": (401, 0),
    "other": (201, 1),
    "creator": (201, 1),
    "blocked": (403, 0),
    "muted": (201, 1),
    "admin": (201, 1),
}


@pytest.mark.parametrize("viewer", API_VIEWERS)
def test_comment_route_matrix(cast, api_for, viewer):
    people, work = cast

    response = _api(api_for, people, viewer).post(
        f"/works/{work.pk}/comments", {"text": "<p>Nice <script>x</script></p>"}
    )

    status, count = COMMENT[viewer]
    assert response.status_code == status
    assert Comment.objects.count() == count
    if status == 201:
        body = response.json()
        assert body["content"] == "<p>Nice </p>"
        assert body["created"] is True
        assert body["author"]["username"] == people[viewer].username


def test_threaded_replies_through_the_api(cast, api_for):
    people, work = cast
    api = api_for(people["other"])
    root = api.post(f"/works/{work.pk}/comments", {"text": "Root"}).json()

    reply = api_for(people["creator"]).post(
        f"/works/{work.pk}/comments", {"text": "Reply", "parent_id": root["id"]}
    )
    again = api_for(people["creator"]).post(
        f"/works/{work.pk}/comments", {"text": "Reply", "parent_id": root["id"]}
    )

    assert reply.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == reply.json()["id"]
    listing = api_for(None).get(f"/works/{work.pk}/comments").json()
    assert listing["count"] == 1
    [thread] = listing["results"]
    assert [thread["content"], thread["replies"][0]["content"]] == ["<p>Root</p>", "<p>Reply</p>"]
    assert (
        api_for(None).get(f"/comments/{root['id']}").json()["replies"][0]["parent_id"]
        == (root["id"])
    )


def test_comment_on_a_chapter_and_bad_parent(cast, api_for, make_work):
    people, work = cast
    api = api_for(people["other"])
    chapter = work.chapters.get()
    elsewhere, _ = comment_create(actor=people["admin"], work=make_work(title="X"), text="Other")

    on_chapter = api.post(f"/works/{work.pk}/comments", {"text": "Ch", "chapter_id": chapter.pk})
    wrong_parent = api.post(f"/works/{work.pk}/comments", {"text": "Re", "parent_id": elsewhere.pk})

    assert on_chapter.json()["chapter_id"] == chapter.pk
    assert wrong_parent.status_code == 400
    assert fields(wrong_parent) == ["parent_id"]


def test_over_long_and_empty_comments_are_400(cast, api_for):
    people, work = cast
    api = api_for(people["other"])

    long = api.post(f"/works/{work.pk}/comments", {"text": "x" * 10_001})
    empty = api.post(f"/works/{work.pk}/comments", {"text": "   "})

    assert (long.status_code, empty.status_code) == (400, 400)
    assert fields(long) == ["text"] and fields(empty) == ["text"]
    assert long.json()["errors"][0]["message"].startswith(
        "Comments can be at most 10,000 characters long"
    )


def test_comment_on_a_deleted_work_is_a_clear_404(cast, api_for):
    people, work = cast
    work_id = work.pk
    work_delete(actor=people["creator"], work=work)

    response = api_for(people["other"]).post(f"/works/{work_id}/comments", {"text": "Hi"})

    assert response.status_code == 404
    assert response.json()["detail"].startswith("Sorry, this work has been deleted")


def test_comment_rate_limit_answers_429_with_retry_after(cast, api_for, settings):
    settings.POLIS_COMMENT_RATE_NEW_ACCOUNT = "1/h"
    people, work = cast
    api = api_for(people["other"])

    api.post(f"/works/{work.pk}/comments", {"text": "One"})
    response = api.post(f"/works/{work.pk}/comments", {"text": "Two"})

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert Comment.objects.count() == 1


def test_edit_delete_and_moderate_comments(cast, api_for):
    people, work = cast
    comment, _ = comment_create(actor=people["other"], work=work, text="Tpyo")
    reply, _ = comment_create(actor=people["admin"], work=work, text="Hi", parent=comment)

    assert (
        api_for(people["admin"]).patch(f"/comments/{comment.pk}", {"text": "x"}).status_code == 404
    )
    edited = api_for(people["other"]).patch(f"/comments/{comment.pk}", {"text": "Typo"})
    assert edited.json()["content"] == "<p>Typo</p>" and edited.json()["edited_at"]

    assert api_for(people["other"]).post(f"/comments/{comment.pk}/freeze", {}).status_code == 404
    frozen = api_for(people["creator"]).post(f"/comments/{comment.pk}/freeze", {})
    assert frozen.json()["frozen"] is True
    hidden = api_for(people["creator"]).post(f"/comments/{comment.pk}/hide", {})
    assert hidden.json()["hidden"] is True
    assert api_for(None).get(f"/comments/{comment.pk}").status_code == 404
    api_for(people["creator"]).post(f"/comments/{comment.pk}/unhide", {})
    api_for(people["creator"]).post(f"/comments/{comment.pk}/unfreeze", {})

    assert api_for(people["other"]).delete(f"/comments/{comment.pk}?thread=true").status_code == 404
    assert api_for(people["other"]).delete(f"/comments/{comment.pk}").status_code == 204
    assert Comment.objects.get(pk=comment.pk).deleted is True
    assert (
        api_for(people["creator"]).delete(f"/comments/{comment.pk}?thread=true").status_code == 204
    )
    assert Comment.objects.count() == 0
    del reply


def test_comment_settings_and_approval(cast, api_for):
    people, work = cast

    assert (
        api_for(people["other"])
        .put(f"/works/{work.pk}/comment_settings", {"permission": "nobody"})
        .status_code
        == 404
    )
    changed = api_for(people["creator"]).put(
        f"/works/{work.pk}/comment_settings", {"permission": "everyone", "moderated": True}
    )
    assert changed.json() == {"permission": "everyone", "moderated": True}
    assert api_for(people["creator"]).get(f"/works/{work.pk}/comment_settings").json() == {
        "permission": "everyone",
        "moderated": True,
    }
    held = api_for(people["other"]).post(f"/works/{work.pk}/comments", {"text": "Wait"})
    assert held.json()["status"] == "held"
    assert api_for(None).get(f"/works/{work.pk}/comments").json()["results"] == []
    approved = api_for(people["creator"]).post(f"/comments/{held.json()['id']}/approve", {})
    assert approved.json()["status"] == "published"

    comment_settings_update(
        actor=people["creator"], work=work, permission="nobody", moderated=False
    )
    refused = api_for(people["other"]).post(f"/works/{work.pk}/comments", {"text": "No"})
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Sorry, this work doesn't allow comments."


# ---------------------------------------------------------------- bookmarks


def test_bookmark_routes(cast, api_for):
    people, work = cast
    api = api_for(people["other"])
    body = {
        "notes": "<b>Good</b>",
        "tags": ["Fluff", "fluff", "Cozy"],
        "private": False,
        "rec": True,
    }

    created = api.post(f"/works/{work.pk}/bookmarks", body)
    again = api.post(f"/works/{work.pk}/bookmarks", body)

    assert (created.status_code, again.status_code) == (201, 200)
    data = created.json()
    assert (data["notes"], data["tags"], data["rec"], data["work"]["id"]) == (
        "<p><b>Good</b></p>",
        ["Fluff", "Cozy"],
        True,
        work.pk,
    )
    assert Bookmark.objects.count() == 1
    patched = api.patch(f"/bookmarks/{data['id']}", {"private": True})
    assert patched.json()["private"] is True and patched.json()["tags"] == ["Fluff", "Cozy"]
    assert api_for(people["admin"]).get(f"/bookmarks/{data['id']}").status_code == 404
    assert api_for(None).get("/users/reader/bookmarks").json()["count"] == 0
    assert api.get("/users/reader/bookmarks", tag="cozy").json()["count"] == 1
    assert api_for(people["admin"]).delete(f"/bookmarks/{data['id']}").status_code == 404
    assert api.delete(f"/bookmarks/{data['id']}").status_code == 204
    assert Bookmark.objects.count() == 0


def test_external_bookmarks_and_work_bookmark_listing(cast, api_for):
    people, work = cast
    external = api_for(people["other"]).post(
        "/bookmarks",
        {
            "url": "https://example.org/x",
            "title": "Elsewhere",
            "creator": "Someone",
            "fandom": "Original Work",
            "rating": "Explicit",
        },
    )
    bad = api_for(people["other"]).post(
        "/bookmarks", {"url": "ftp://x", "title": "", "creator": "C", "fandom": "F"}
    )
    bookmark_create(actor=people["muted"], work=work)
    bookmark_create(actor=people["admin"], work=work)

    assert external.status_code == 201
    assert external.json()["external"]["rating"] == "Explicit"
    assert bad.status_code == 400 and sorted(fields(bad)) == ["title", "url"]
    seen_by_creator = api_for(people["creator"]).get(f"/works/{work.pk}/bookmarks").json()
    assert [b["bookmarker"] for b in seen_by_creator["results"]] == ["admin"]  # bore is muted
    assert api_for(None).get(f"/works/{work.pk}/bookmarks").json()["count"] == 2


def test_bookmark_of_a_deleted_work_says_so(cast, api_for):
    people, work = cast
    bookmark, _ = bookmark_create(actor=people["other"], work=work)
    work_delete(actor=people["creator"], work=work)

    body = api_for(people["other"]).get(f"/bookmarks/{bookmark.pk}").json()

    assert (body["work"], body["deleted"]) == (None, True)


# ---------------------------------------------------------------- subscriptions and inbox


def test_subscription_routes(cast, api_for, make_user):
    people, work = cast
    api = api_for(people["other"])
    from polis.works.series import series_add_work, series_create

    series = series_create(actor=people["creator"], title="S")
    series_add_work(actor=people["creator"], series=series, work=work)

    by_name = api.post("/subscriptions", {"type": "user", "id": "writer"})
    by_id = api.post("/subscriptions", {"type": "user", "id": people["creator"].pk})
    on_work = api.post("/subscriptions", {"type": "work", "id": work.pk})
    on_series = api.post("/subscriptions", {"type": "series", "id": series.pk})
    self_sub = api.post("/subscriptions", {"type": "user", "id": "reader"})
    missing = api.post("/subscriptions", {"type": "work", "id": 999_999})

    assert [r.status_code for r in (by_name, by_id, on_work, on_series)] == [201, 200, 201, 201]
    assert self_sub.status_code == 400
    assert missing.status_code == 404
    listing = api.get("/subscriptions").json()
    assert sorted(item["type"] for item in listing) == ["series", "user", "work"]
    assert (
        api_for(people["admin"]).delete(f"/subscriptions/{on_work.json()['id']}").status_code == 404
    )
    assert api.delete(f"/subscriptions/{on_work.json()['id']}").status_code == 204
    assert Subscription.objects.count() == 2


def test_inbox_routes(cast, api_for):
    people, work = cast
    comment, _ = comment_create(actor=people["other"], work=work, text="Question")
    api = api_for(people["creator"])

    inbox = api.get("/inbox").json()
    [note] = inbox["results"]
    assert (inbox["count"], inbox["unread"], note["kind"]) == (1, 1, "comment")
    assert api_for(people["other"]).patch(f"/inbox/{note['id']}", {"read": True}).status_code == 404
    assert api.patch(f"/inbox/{note['id']}", {"read": True}).json()["read"] is True
    assert api.get("/inbox", unread="true").json()["count"] == 0

    reply = api.post(f"/inbox/{note['id']}/reply", {"text": "Answer"})
    assert reply.status_code == 201
    assert Comment.objects.get(pk=reply.json()["id"]).parent == comment
    reader_inbox = api_for(people["other"]).get("/inbox").json()
    assert [n["kind"] for n in reader_inbox["results"]] == ["reply"]

    assert api.put("/inbox/settings", {"emails": False}).json() == {"emails": False}
    people["creator"].refresh_from_db()
    assert people["creator"].notification_emails is False
    assert api.delete(f"/inbox/{note['id']}").status_code == 204
    assert not Notification.objects.filter(pk=note["id"]).exists()
    assert api_for(None).get("/inbox").status_code == 401


# ---------------------------------------------------------------- blocks, mutes, history, stats


@pytest.mark.parametrize("kind", ["blocks", "mutes"])
def test_block_and_mute_routes(cast, api_for, kind):
    people, _ = cast
    api = api_for(people["other"])

    created = api.post(f"/{kind}", {"username": "bore"})
    again = api.post(f"/{kind}", {"username": "bore"})
    self_ = api.post(f"/{kind}", {"username": "reader"})
    admin = api.post(f"/{kind}", {"username": "admin"})
    missing = api.post(f"/{kind}", {"username": "nobody"})

    assert (created.status_code, again.status_code) == (201, 201)
    assert (self_.status_code, admin.status_code, missing.status_code) == (400, 400, 404)
    assert [u["username"] for u in api.get(f"/{kind}").json()] == ["bore"]
    assert api.delete(f"/{kind}/bore").status_code == 204
    assert api.get(f"/{kind}").json() == []
    assert api_for(None).post(f"/{kind}", {"username": "bore"}).status_code == 401


def test_blocked_user_is_refused_replying_through_the_api(cast, api_for):
    people, work = cast
    root, _ = comment_create(actor=people["other"], work=work, text="Root")
    api_for(people["other"]).post("/blocks", {"username": "admin"})
    api_for(people["other"]).post("/blocks", {"username": "bore"})

    response = api_for(people["muted"]).post(
        f"/works/{work.pk}/comments", {"text": "Hey", "parent_id": root.pk}
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "Sorry, you have been blocked by that user."


def test_history_and_marked_for_later_routes(cast, api_for, client):
    people, work = cast
    client.force_login(people["other"])
    client.get(work.get_absolute_url())
    api = api_for(people["other"])

    history = api.get("/history").json()
    assert [item["work"]["id"] for item in history["results"]] == [work.pk]
    assert api.post(f"/works/{work.pk}/mark_for_later", {}).status_code == 204
    assert api.get("/marked_for_later").json()["results"][0]["marked_for_later"] is True
    assert api.put("/history/settings", {"enabled": False}).json() == {"enabled": False}
    assert api.get("/history").json()["count"] == 0
    assert api.get("/marked_for_later").json()["count"] == 1
    assert api.delete(f"/works/{work.pk}/mark_for_later").status_code == 204
    assert api.get("/marked_for_later").json()["count"] == 0
    reading_mark_for_later(actor=people["other"], work=work)
    assert api.delete("/history").status_code == 204
    assert api.put("/history/settings", {"enabled": True}).json() == {"enabled": True}
    cache.clear()  # history is written at most every five minutes per work
    client.get(work.get_absolute_url())
    assert api.get("/history").json()["count"] == 1
    assert api.delete(f"/history/{work.pk}").status_code == 204
    assert api.get("/history").json()["count"] == 0


def test_stats_route(cast, api_for):
    people, work = cast
    kudos_give(actor=people["other"], work=work)

    mine = api_for(people["creator"]).get("/stats", sort="kudos").json()
    theirs = api_for(people["other"]).get("/stats").json()

    assert mine == [
        {
            "id": work.pk,
            "title": "The Lighthouse",
            "url": f"http://testserver/works/{work.pk}",
            "words": 5,
            "hits": 0,
            "kudos": 1,
            "comment_threads": 0,
            "bookmarks": 0,
            "subscriptions": 0,
        }
    ]
    assert theirs == []
    assert api_for(None).get("/stats").status_code == 401


# ---------------------------------------------------------------- series


def test_series_routes(cast, api_for, make_work):
    people, work = cast
    api = api_for(people["creator"])
    second = make_work(people["creator"], title="Second")

    created = api.post("/series", {"title": "Saga", "summary": "<i>Long</i>"})
    series_id = created.json()["id"]
    assert created.status_code == 201 and created.json()["summary"] == "<p><i>Long</i></p>"
    assert api.post(f"/series/{series_id}/works", {"work_id": work.pk}).status_code == 201
    assert api.post(f"/series/{series_id}/works", {"work_id": work.pk}).status_code == 200
    assert api.post(f"/series/{series_id}/works", {"work_id": second.pk}).status_code == 201
    reordered = api.put(f"/series/{series_id}/order", {"work_ids": [second.pk, work.pk]})
    assert [p["work"]["title"] for p in reordered.json()["works"]] == ["Second", "The Lighthouse"]
    assert reordered.json()["word_count"] == 8
    assert api.patch(f"/series/{series_id}", {"complete": True}).json()["complete"] is True
    assert api_for(None).get(f"/series/{series_id}").json()["title"] == "Saga"
    assert api_for(None).get("/users/writer/series").json()["count"] == 1

    stranger = api_for(people["other"])
    assert stranger.patch(f"/series/{series_id}", {"title": "Mine"}).status_code == 404
    assert stranger.post(f"/series/{series_id}/works", {"work_id": work.pk}).status_code == 404
    assert stranger.delete(f"/series/{series_id}").status_code == 404

    assert api.delete(f"/series/{series_id}/works/{second.pk}").status_code == 204
    assert api.delete(f"/series/{series_id}").status_code == 204
    assert api_for(None).get(f"/series/{series_id}").status_code == 404
