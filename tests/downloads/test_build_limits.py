"""A build that fails or runs past POLIS_DOWNLOAD_BUILD_SECONDS is remembered per version and
format: the page says "could not be built", nothing rebuilds it per request, an edit resets it."""

import threading

import pytest
from django.conf import settings

from polis.downloads import build
from polis.downloads.cache import download_cache, download_key
from polis.downloads.formats import FORMATS
from polis.downloads.tasks import download_prepare
from polis.works.actions import ChapterInput
from tests.downloads.support import add_chapters

# A PDF of this many words takes well over a second to typeset; the limit is far below.
LONG_TEXT = "<p>" + "word " * 200 + "</p>"
TINY_LIMIT = 0.05


def url(work, extension: str) -> str:
    return f"/downloads/{work.pk}/A_Work.{extension}"


def names(work) -> list[str]:
    folder = settings.DATA_DIR / "downloads" / str(work.pk)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def queued():
    from django_tasks import task_backends

    return task_backends["default"].results


def big_work(make_work):
    return make_work(text=LONG_TEXT * 30)  # 6,000 words


def test_the_alarm_can_fire_here():
    # The limit is a SIGALRM in the main thread (the worker's, the CLI's, pytest's).
    assert threading.current_thread() is threading.main_thread()


def test_worker_build_past_the_limit_is_remembered_and_never_retried(client, make_work, settings):
    settings.POLIS_DOWNLOAD_SYNC_WORDS = 3  # every PDF goes to the worker
    settings.POLIS_DOWNLOAD_BUILD_SECONDS = TINY_LIMIT
    work = big_work(make_work)
    assert client.get(url(work, "pdf")).status_code == 202
    result = queued()[0]
    assert download_prepare.call(*result.args, **result.kwargs) is None
    key = download_key(work, FORMATS["pdf"])
    assert download_cache().failure(key).startswith("BuildTimeout: took longer than 0.05 s")
    assert names(work) == [f"pdf-{key.fingerprint}.pdf.failed"]  # no pending mark left

    renders = build.renders["pdf"]
    for _ in range(2):
        response = client.get(url(work, "pdf"))
        assert response.status_code == 422
        page = response.content.decode()
        assert "This download could not be built" in page
        assert f'The PDF file of <a href="{work.get_absolute_url()}">A Work</a>' in page
        assert f'<a href="{url(work, "epub")}" rel="nofollow">EPUB</a>' in page
        assert f'<a href="{url(work, "html")}" rel="nofollow">HTML</a>' in page
        assert f'href="{url(work, "pdf")}"' not in page
        assert response["Cache-Control"] == "no-store"
    assert len(queued()) == 1  # no new task
    assert build.renders["pdf"] == renders  # and no build in the request

    # Another format of the same version is not affected.
    assert client.get(url(work, "epub")).status_code == 202

    # A new version is tried again; the old version's failure is forgotten.
    add_chapters(work, [ChapterInput(text="<p>An epilogue.</p>")])
    assert client.get(url(work, "pdf")).status_code == 202
    assert len(queued()) == 3
    result = queued()[2]
    assert download_prepare.call(*result.args, **result.kwargs) is None
    new_key = download_key(work, FORMATS["pdf"])
    assert new_key != key
    assert [n for n in names(work) if n.startswith("pdf-")] == [
        f"pdf-{new_key.fingerprint}.pdf.failed"
    ]


def test_request_build_that_fails_is_remembered(client, make_work, settings):
    settings.POLIS_DOWNLOAD_BUILD_SECONDS = TINY_LIMIT
    work = big_work(make_work)  # under POLIS_DOWNLOAD_SYNC_WORDS: built in the request
    renders = build.renders["pdf"]
    assert client.get(url(work, "pdf")).status_code == 422
    assert build.renders["pdf"] == renders + 1
    settings.POLIS_DOWNLOAD_BUILD_SECONDS = 0
    assert client.get(url(work, "pdf")).status_code == 422  # remembered, not retried
    assert build.renders["pdf"] == renders + 1
    assert queued() == []

    # A new version is tried again (and, small enough now, built).
    work.chapters.update(content="<p>Short now.</p>")
    add_chapters(work, [ChapterInput(text="<p>An epilogue.</p>")])
    response = client.get(url(work, "pdf"))
    assert response.status_code == 200
    assert build.renders["pdf"] == renders + 2
    key = download_key(work, FORMATS["pdf"])
    assert names(work) == [f"pdf-{key.fingerprint}.pdf"]


def test_cli_reports_a_remembered_failure(make_work, settings, tmp_path):
    from django.core.management import CommandError, call_command

    settings.POLIS_DOWNLOAD_BUILD_SECONDS = TINY_LIMIT
    work = big_work(make_work)
    for _ in range(2):
        try:
            call_command(
                "download", str(work.pk), "--format", "pdf", "--output", str(tmp_path / "out.pdf")
            )
        except CommandError as error:
            assert str(error).startswith("This version could not be built: BuildTimeout")
        else:
            raise AssertionError("the build should have failed")
    assert not (tmp_path / "out.pdf").exists()


# Committed rows: the worker closes and reopens connections between tasks, as it does live.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_task_worker_stops_the_build_and_the_task_is_not_retried(client, make_work, settings):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from tests.core.test_worker import _worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.POLIS_DOWNLOAD_SYNC_WORDS = 3
    settings.POLIS_DOWNLOAD_BUILD_SECONDS = TINY_LIMIT
    work = big_work(make_work)
    assert client.get(url(work, "pdf")).status_code == 202
    _worker().run()  # the real worker loop, in this (main) thread
    [task] = DBTaskResult.objects.filter(task_path="polis.downloads.tasks.download_prepare")
    assert task.status == TaskResultStatus.SUCCESSFUL  # done: nothing hands it on again
    assert task.return_value is None
    assert client.get(url(work, "pdf")).status_code == 422
    assert DBTaskResult.objects.filter(task_path__startswith="polis.downloads").count() == 1


def test_a_series_that_cannot_be_built_says_so(client, make_user, make_work, settings):
    from tests.downloads.test_series import make_series

    settings.POLIS_DOWNLOAD_BUILD_SECONDS = TINY_LIMIT
    writer = make_user()
    series = make_series(writer, [big_work(lambda **kw: make_work(writer, **kw))])
    series_url = f"/downloads/series/{series.pk}/The_Saga"
    renders = build.renders["pdf"]
    for _ in range(2):
        response = client.get(f"{series_url}.pdf")
        assert response.status_code == 422
        page = response.content.decode()
        assert "This download could not be built" in page
        assert f'<a href="{series_url}.epub" rel="nofollow">EPUB</a>' in page
    assert build.renders["pdf"] == renders + 1
