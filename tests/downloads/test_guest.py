"""Guests' repeat downloads: for a moment after the view sent a guest a public work's file,
GuestDownloadMiddleware sends guests that file without the view (polis/downloads/guest.py)."""

import pytest
from django.conf import settings as django_settings

from polis.downloads import guest
from polis.search.indexing import update_stats
from polis.works.actions import ChapterInput, WorkInput, chapter_update, work_delete, work_update

SAME_HEADERS = [
    "Content-Type",
    "Content-Length",
    "Content-Disposition",
    "ETag",
    "Cache-Control",
    "Vary",
    "X-Content-Type-Options",
]


def url(work, extension: str = "epub") -> str:
    return f"/downloads/{work.pk}/Anything.{extension}"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def headers(response) -> dict:
    return {name: response.get(name) for name in SAME_HEADERS}


@pytest.fixture
def clock(monkeypatch):
    """The monotonic clock the pointers lapse by, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(guest.time, "monotonic", lambda: now[0])
    return now


@pytest.fixture
def creator(make_user):
    return make_user("writer")


@pytest.fixture
def work(make_work, creator):
    return make_work(creator, title="Lamp", text="<p>Old words.</p>")


@pytest.mark.parametrize("extension", ["epub", "html"])
def test_a_guest_repeat_download_is_the_views_answer_without_a_query(
    client, work, extension, django_assert_num_queries
):
    first = client.get(url(work, extension))

    with django_assert_num_queries(0):
        again = client.get(url(work, extension))

    assert (first.status_code, again.status_code) == (200, 200)
    assert headers(again) == headers(first)
    assert headers(again)["Cache-Control"] == "no-cache"
    assert body(again) == body(first)


def test_a_guest_with_the_current_version_gets_304_without_a_query(
    client, work, django_assert_num_queries
):
    etag = client.get(url(work))["ETag"]

    with django_assert_num_queries(0):
        response = client.get(url(work), headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response["ETag"] == etag


def test_an_edit_reaches_guests_when_the_window_lapses(client, work, creator, clock):
    """Without the commit hook (as on an app server that shares no data directory), the
    window still bounds how long guests may get the old file."""
    before = body(client.get(url(work, "html")))
    chapter_update(
        actor=creator, chapter=work.chapters.get(), data=ChapterInput(text="<p>New words.</p>")
    )

    clock[0] += django_settings.POLIS_DOWNLOAD_GUEST_SECONDS - 0.5
    within = body(client.get(url(work, "html")))
    clock[0] += 1
    after = body(client.get(url(work, "html")))

    assert within == before
    assert b"New words." in after and b"Old words." not in after


def test_a_deleted_work_is_404_to_guests_when_the_window_lapses(client, work, creator, clock):
    client.get(url(work))
    work_delete(actor=creator, work=work)

    clock[0] += django_settings.POLIS_DOWNLOAD_GUEST_SECONDS + 0.5

    assert client.get(url(work)).status_code == 404


def test_logged_in_readers_always_go_through_the_view(client, work, creator, make_user):
    client.get(url(work, "html"))  # a guest's download leaves a pointer
    client.force_login(make_user())
    chapter_update(
        actor=creator, chapter=work.chapters.get(), data=ChapterInput(text="<p>New words.</p>")
    )

    assert b"New words." in body(client.get(url(work, "html")))


def test_a_logged_in_readers_download_leaves_no_pointer(client, work, creator, make_user):
    client.force_login(make_user())
    client.get(url(work))
    client.logout()
    work_delete(actor=creator, work=work)

    assert client.get(url(work)).status_code == 404


def test_a_restricted_work_leaves_no_pointer(client, make_work, make_user):
    work = make_work(restricted=True)
    client.force_login(make_user())
    assert client.get(url(work)).status_code == 200
    client.logout()

    assert client.get(url(work)).status_code == 404


def test_a_pointer_to_a_removed_file_falls_back_to_the_view(client, work):
    first = client.get(url(work))
    for path in (django_settings.DATA_DIR / "downloads" / str(work.pk)).iterdir():
        path.unlink()

    again = client.get(url(work))

    assert again.status_code == 200
    assert again["ETag"] == first["ETag"]
    assert body(again) == body(first)


def test_no_window_when_it_is_set_to_zero(client, work, settings, django_assert_num_queries):
    settings.POLIS_DOWNLOAD_GUEST_SECONDS = 0
    client.get(url(work))

    with django_assert_num_queries(2):  # the work (its visibility with it), the fingerprint
        assert client.get(url(work)).status_code == 200


def test_a_committed_edit_reaches_guests_at_once(
    client, work, creator, django_capture_on_commit_callbacks
):
    before = body(client.get(url(work, "html")))
    with django_capture_on_commit_callbacks(execute=True):
        chapter_update(
            actor=creator, chapter=work.chapters.get(), data=ChapterInput(text="<p>New words.</p>")
        )

    after = body(client.get(url(work, "html")))

    assert b"Old words." in before
    assert b"New words." in after and b"Old words." not in after


@pytest.mark.parametrize("change", ["restrict", "delete"])
def test_a_committed_restriction_or_deletion_reaches_guests_at_once(
    client, work, creator, change, django_capture_on_commit_callbacks
):
    assert client.get(url(work)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        if change == "restrict":
            data = WorkInput(
                title=work.title,
                rating=work.rating,
                warnings=["No Archive Warnings Apply"],
                fandoms=["Original Work"],
                restricted=True,
            )
            work_update(actor=creator, work=work, data=data)
        else:
            work_delete(actor=creator, work=work)

    assert client.get(url(work)).status_code == 404


def test_a_change_committed_by_another_process_sends_guests_back_to_the_view(
    client, work, make_work, django_assert_num_queries
):
    client.get(url(work))
    other = make_work(title="Elsewhere")
    # Another app process on the same data directory commits a change to another work:
    # it cannot drop this process's pointers, but it moves the shared stamp.
    stamp = guest.archive_stamp()
    guest.works_changed([other.pk])
    assert guest.archive_stamp() > stamp

    with django_assert_num_queries(2):  # the work (its visibility with it), the fingerprint
        assert client.get(url(work)).status_code == 200
    with django_assert_num_queries(0):  # remembered again, under the new stamp
        assert client.get(url(work)).status_code == 200


def test_counters_changing_keep_the_pointer(
    client, work, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """Kudos and hits are not in the file: they must not send every guest back to the view."""
    client.get(url(work))
    stamp = guest.archive_stamp()
    with django_capture_on_commit_callbacks(execute=True):
        update_stats([work.pk])

    assert guest.archive_stamp() == stamp
    with django_assert_num_queries(0):
        assert client.get(url(work)).status_code == 200
