"""The download URL: access, headers, formats offered, caching and background preparation."""

from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse

from polis.downloads import build
from polis.downloads.cache import download_cache, download_key, work_fingerprint
from polis.downloads.formats import FORMATS
from polis.downloads.tasks import download_prepare
from polis.works.actions import ChapterInput, chapter_update, chapters_reorder, work_update
from polis.works.models import Chapter
from tests.downloads.support import add_chapters


def url(work, extension: str = "epub", title: str | None = None) -> str:
    return f"/downloads/{work.pk}/{title if title is not None else 'A_Work'}.{extension}"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def cached_files(work) -> list[str]:
    folder = settings.DATA_DIR / "downloads" / str(work.pk)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def queued():
    from django_tasks import task_backends

    return task_backends["default"].results


# Access ------------------------------------------------------------------------------


@pytest.mark.parametrize("extension", ["epub", "pdf", "html"])
def test_posted_work_downloads_in_each_core_format(client, make_work, extension):
    response = client.get(url(make_work(), extension))
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[extension].media_type


def test_missing_work_is_404(client, db):
    assert client.get("/downloads/999999/Anything.epub").status_code == 404


def test_draft_is_404_even_for_its_creator(client, make_user, make_work):
    creator = make_user()
    work = make_work(creator, post=False)
    client.force_login(creator)
    assert client.get(url(work)).status_code == 404
    assert cached_files(work) == []


@pytest.mark.parametrize("logged_in, status", [(False, 404), (True, 200)])
def test_restricted_work_downloads_only_for_logged_in_readers(
    client, make_user, make_work, logged_in, status
):
    work = make_work(restricted=True)
    if logged_in:
        client.force_login(make_user())
    response = client.get(url(work))
    assert response.status_code == status
    if logged_in:
        assert "private" in response["Cache-Control"]


def test_unknown_format_is_404(client, make_work):
    assert client.get(url(make_work(), "docx")).status_code == 404


@pytest.mark.parametrize("extension", ["azw3", "mobi"])
def test_calibre_formats_are_404_without_ebook_convert(client, make_work, extension, monkeypatch):
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # calibre is not installed on this machine
    assert client.get(url(make_work(), extension)).status_code == 404


@pytest.mark.parametrize("title", ["A_Work", "anything-at-all", "", "Caf%C3%A9"])
def test_any_title_part_is_accepted(client, make_work, title):
    assert client.get(url(make_work(), title=title)).status_code == 200


# Headers -----------------------------------------------------------------------------


def test_response_has_length_etag_and_ascii_filename(client, make_work):
    work = make_work(title="Simple Title")
    response = client.get(url(work))
    data = body(response)
    assert response["Content-Length"] == str(len(data))
    key = download_key(work, FORMATS["epub"])
    assert response["ETag"] == f'"{key.fingerprint}"'
    assert response["Content-Disposition"] == 'attachment; filename="Simple_Title.epub"'


def test_non_ascii_title_gets_an_rfc5987_filename(client, make_work):
    work = make_work(title="Café/Crème & 🦊")
    response = client.get(url(work))
    expected = quote("Café_Crème & 🦊.epub", safe="")
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"Cafe_Creme.epub\"; filename*=UTF-8''{expected}"
    )


def test_title_with_no_ascii_letters_falls_back_to_work_id(client, make_work):
    work = make_work(title="吾輩は猫である")
    disposition = client.get(url(work))["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="Work_{work.pk}.epub"; filename*=')


def test_matching_etag_answers_304(client, make_work):
    work = make_work()
    etag = client.get(url(work))["ETag"]
    response = client.get(url(work), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag


# Cache -------------------------------------------------------------------------------


def test_fingerprint_takes_one_query(make_work, django_assert_num_queries):
    work = make_work(chapters=3, characters=["Lexa"])
    with django_assert_num_queries(1):
        assert work_fingerprint(work.pk, FORMATS["epub"])


def test_fingerprint_differs_by_format(make_work):
    work = make_work()
    assert work_fingerprint(work.pk, FORMATS["epub"]) != work_fingerprint(work.pk, FORMATS["pdf"])


def test_second_request_serves_the_cached_file_without_rendering(client, make_work):
    work = make_work()
    first = body(client.get(url(work)))
    renders = build.renders["epub"]
    files = cached_files(work)
    mtime = (settings.DATA_DIR / "downloads" / str(work.pk) / files[0]).stat().st_mtime_ns
    second = body(client.get(url(work)))
    assert second == first
    assert build.renders["epub"] == renders
    assert cached_files(work) == files
    assert (settings.DATA_DIR / "downloads" / str(work.pk) / files[0]).stat().st_mtime_ns == mtime


def test_editing_a_chapter_makes_a_new_file_and_removes_the_old(client, make_work, settings):
    settings.POLIS_DOWNLOAD_GUEST_SECONDS = 0  # the view at once (tests/downloads/test_guest.py)
    work = make_work(text="<p>Old words.</p>")
    client.get(url(work))
    old_files = cached_files(work)
    chapter = work.chapters.get()
    creator = work.creatorships.get().pseud.user
    chapter_update(actor=creator, chapter=chapter, data=ChapterInput(text="<p>New words.</p>"))
    response = client.get(url(work))
    assert response.status_code == 200
    new_files = cached_files(work)
    assert len(new_files) == 1 and new_files != old_files
    html = body(client.get(url(work, "html")))
    assert b"New words." in html and b"Old words." not in html


def test_reordering_chapters_changes_the_fingerprint(make_work):
    work = make_work(chapters=2)
    before = work_fingerprint(work.pk, FORMATS["epub"])
    ids = list(work.chapters.order_by("-position").values_list("pk", flat=True))
    chapters_reorder(actor=work.creatorships.get().pseud.user, work=work, chapter_ids=ids)
    assert work_fingerprint(work.pk, FORMATS["epub"]) != before


def test_renaming_a_tag_changes_the_fingerprint(make_work):
    work = make_work(characters=["Lexa"])
    before = work_fingerprint(work.pk, FORMATS["epub"])
    tag = work.tags.get(name="Lexa")
    tag.set_name("Lexa kom Trikru")
    tag.save()
    assert work_fingerprint(work.pk, FORMATS["epub"]) != before


def test_formats_are_cached_side_by_side(client, make_work):
    work = make_work()
    client.get(url(work, "epub"))
    client.get(url(work, "html"))
    assert [name.split("-")[0] for name in cached_files(work)] == ["epub", "html"]


def test_work_update_invalidates(client, make_work, settings):
    from polis.works.actions import WorkInput

    settings.POLIS_DOWNLOAD_GUEST_SECONDS = 0  # the view at once (tests/downloads/test_guest.py)
    work = make_work(title="Before")
    client.get(url(work))
    creator = work.creatorships.get().pseud.user
    data = WorkInput(
        title="After",
        rating="General Audiences",
        warnings=["No Archive Warnings Apply"],
        fandoms=["Original Work"],
    )
    work_update(actor=creator, work=work, data=data)
    response = client.get(url(work))
    assert response["Content-Disposition"] == 'attachment; filename="After.epub"'
    assert len(cached_files(work)) == 1


# Background preparation -----------------------------------------------------------------


def test_big_work_is_prepared_in_the_background_once(client, make_work, settings):
    settings.POLIS_DOWNLOAD_SYNC_WORDS = 3
    work = make_work(text="<p>More than three words here.</p>")
    response = client.get(url(work))
    assert response.status_code == 202
    page = response.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Preparing your download…" in page
    assert f'href="{url(work)}"' in page
    assert response["Retry-After"] == "3"
    assert client.get(url(work)).status_code == 202
    assert len(queued()) == 1  # not enqueued again while pending
    assert cached_files(work) == [cached_files(work)[0]]  # only the pending mark
    assert cached_files(work)[0].endswith(".pending")

    result = queued()[0]
    download_prepare.call(*result.args, **result.kwargs)

    response = client.get(url(work))
    assert response.status_code == 200
    assert body(response).startswith(b"PK")
    assert not [name for name in cached_files(work) if name.endswith(".pending")]


def test_big_work_with_an_immediate_backend_answers_at_once(client, make_work, settings):
    settings.POLIS_DOWNLOAD_SYNC_WORDS = 3
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    work = make_work(text="<p>More than three words here.</p>")
    response = client.get(url(work))
    assert response.status_code == 200
    assert body(response).startswith(b"PK")


def test_task_for_a_work_that_became_a_draft_writes_nothing(make_work, settings):
    work = make_work()
    key = download_key(work, FORMATS["epub"])
    download_cache().claim(key)
    work.posted = False
    work.save(update_fields=["posted"])
    assert download_prepare.call(work.pk, "epub", key.fingerprint) is None
    assert cached_files(work) == []


def test_stale_task_builds_the_current_version(make_work):
    work = make_work(chapters=2)
    old_key = download_key(work, FORMATS["epub"])
    download_cache().claim(old_key)
    add_chapters(work, [ChapterInput(text="<p>Third.</p>")])
    path = download_prepare.call(work.pk, "epub", old_key.fingerprint)
    assert path and path.endswith(f"{download_key(work, FORMATS['epub']).fingerprint}.epub")
    assert Chapter.objects.filter(work=work, posted=True).count() == 3
    assert cached_files(work) == [path.rsplit("/", 1)[1]]


def test_download_url_is_reversible(make_work):
    work = make_work()
    kwargs = {"work_id": work.pk, "title": "A_Work", "extension": "pdf"}
    assert reverse("downloads:download", kwargs=kwargs) == url(work, "pdf")


def test_pdf_goes_to_the_worker_sooner_than_epub(client, make_work, settings):
    settings.POLIS_DOWNLOAD_SYNC_WORDS = 20
    work = make_work(text="<p>" + "word " * 10 + "</p>")
    assert client.get(url(work, "epub")).status_code == 200
    assert client.get(url(work, "pdf")).status_code == 202
