"""Writes that cannot go wrong quietly, through the API: `Idempotency-Key` posts once,
`If-Match` / `If-Unmodified-Since` refuse a stale PATCH with 412, one post's chapters are
bounded."""

import datetime

import pytest
from django.utils.http import http_date

from polis.works.models import Chapter, PostingToken, Work
from tests.api.conftest import ApiClient, fields, work_body

pytestmark = pytest.mark.django_db


def _headers(client: ApiClient, headers: dict[str, str]) -> ApiClient:
    sending = ApiClient(client=client.client)
    sending.headers = {**client.headers, **headers}
    return sending


def test_the_same_idempotency_key_returns_the_first_work(alice, api_as):
    api = _headers(api_as(alice), {"Idempotency-Key": "post-7f3a"})

    first = api.post("/works", work_body())
    second = api.post("/works", work_body(title="Changed my mind"))

    work = Work.objects.get()
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"] == work.pk
    assert second.json()["title"] == "The Long Way Round"
    assert work.chapters.count() == 2


def test_without_a_key_each_post_is_a_new_work(alice, api_as):
    api = api_as(alice)
    assert api.post("/works", work_body()).status_code == 201
    assert api.post("/works", work_body()).status_code == 201
    assert Work.objects.count() == 2


def test_another_users_key_is_their_own(alice, bob, api_as):
    for user in (alice, bob):
        response = _headers(api_as(user), {"Idempotency-Key": "k1"}).post("/works", work_body())
        assert response.status_code == 201
    assert Work.objects.count() == 2


def test_a_key_older_than_a_day_may_be_used_again(alice, api_as):
    api = _headers(api_as(alice), {"Idempotency-Key": "old-key"})
    assert api.post("/works", work_body()).status_code == 201
    PostingToken.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert api.post("/works", work_body()).status_code == 201
    assert Work.objects.count() == 2


def test_a_key_that_cannot_be_one_is_refused_by_name(alice, api_as):
    response = _headers(api_as(alice), {"Idempotency-Key": "x" * 101}).post("/works", work_body())
    assert response.status_code == 400
    assert fields(response) == ["Idempotency-Key"]
    assert Work.objects.count() == 0


def test_the_same_key_adds_one_chapter(alice, api_as):
    api = api_as(alice)
    work_id = api.post("/works", work_body()).json()["id"]
    keyed = _headers(api, {"Idempotency-Key": "chapter-3"})

    first = keyed.post(f"/works/{work_id}/chapters", {"title": "Three", "text": "<p>3</p>"})
    second = keyed.post(f"/works/{work_id}/chapters", {"title": "Three", "text": "<p>3</p>"})

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert list(Chapter.objects.filter(work_id=work_id).values_list("title", flat=True)) == [
        "Departure",
        "Arrival",
        "Three",
    ]


def test_work_get_answers_an_etag_that_patch_if_match_accepts(alice, api_as):
    api = api_as(alice)
    work_id = api.post("/works", work_body()).json()["id"]
    etag = api.get(f"/works/{work_id}")["ETag"]
    assert etag.startswith(f'"work-{work_id}-')

    response = _headers(api, {"If-Match": etag}).patch(f"/works/{work_id}", {"title": "New"})

    assert response.status_code == 200
    assert Work.objects.get().title == "New"
    assert api.get(f"/works/{work_id}")["ETag"] != etag


def test_a_stale_if_match_is_412_and_saves_nothing(alice, api_as):
    api = api_as(alice)
    work_id = api.post("/works", work_body()).json()["id"]
    etag = api.get(f"/works/{work_id}")["ETag"]
    assert api.patch(f"/works/{work_id}", {"title": "Someone else's"}).status_code == 200

    response = _headers(api, {"If-Match": etag}).patch(f"/works/{work_id}", {"title": "Mine"})

    assert response.status_code == 412
    body = response.json()
    assert body["errors"] == []
    assert body["detail"].startswith("This work changed since you read it")
    assert api.get(f"/works/{work_id}")["ETag"] in body["detail"]
    assert Work.objects.get().title == "Someone else's"


def test_if_unmodified_since_before_the_last_save_is_412(alice, api_as):
    api = api_as(alice)
    work_id = api.post("/works", work_body()).json()["id"]
    saved = Work.objects.get().updated_at
    before = http_date((saved - datetime.timedelta(seconds=5)).timestamp())
    after = http_date((saved + datetime.timedelta(seconds=1)).timestamp())

    stale = _headers(api, {"If-Unmodified-Since": before}).patch(
        f"/works/{work_id}", {"title": "A"}
    )
    fresh = _headers(api, {"If-Unmodified-Since": after}).patch(f"/works/{work_id}", {"title": "B"})

    assert (stale.status_code, fresh.status_code) == (412, 200)
    assert Work.objects.get().title == "B"


def test_more_chapters_than_the_limit_is_refused_on_chapters(alice, api_as, settings):
    settings.POLIS_MAX_CHAPTERS_PER_POST = 3
    chapters = [{"text": f"<p>{n}</p>"} for n in range(4)]

    response = api_as(alice).post("/works", work_body(chapters=chapters))

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "chapters",
            "message": "You sent 4 chapters; one post can have at most 3. "
            "Post the first ones, then add the rest.",
        }
    ]
    assert Work.objects.count() == 0
    assert api_as(alice).post("/works", work_body(chapters=chapters[:3])).status_code == 201


def test_chapter_patch_with_its_etag_saves_and_a_stale_one_is_412(alice, api_as):
    api = api_as(alice)
    work = api.post("/works", work_body()).json()
    chapter_id = work["chapters"][1]["id"]
    url = f"/works/{work['id']}/chapters/{chapter_id}"
    etag = api.get(url)["ETag"]
    assert etag.startswith(f'"chapter-{chapter_id}-')

    saved = _headers(api, {"If-Match": etag}).patch(url, {"title": "Landfall"})
    stale = _headers(api, {"If-Match": etag}).patch(url, {"text": "<p>Overwritten?</p>"})

    assert saved.status_code == 200
    assert saved.json()["title"] == "Landfall"
    assert stale.status_code == 412
    assert stale.json()["detail"].startswith("This chapter changed since you read it")
    chapter = Chapter.objects.get(pk=chapter_id)
    assert (chapter.title, chapter.source) == ("Landfall", "Five six\n\nseven eight nine.")
