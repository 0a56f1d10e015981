"""A URL import is safe to run twice and resumes when its worker dies (polis/imports/jobs.py).

Before: a second run of the task was harmless only by luck (a status read, then a write), and
a job RUNNING when its worker died stayed "Importing" for ever, since the task run again
after its lease found it RUNNING and returned. The queue is the real database queue and the
worker the real PolisWorker; the pages come from a real local HTTP server.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from polis.imports.actions import ImportOptions, import_urls_start, imported_draft_create
from polis.imports.jobs import import_job_run, import_jobs_resume
from polis.imports.models import ImportJob
from polis.imports.pages import read_fetched
from polis.works.models import Work
from tests.processes import in_process_worker

transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)
DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PAGE = "<html><head><title>{0}</title></head><body><p>{0} text.</p></body></html>"


@pytest.fixture(autouse=True)
def _db_queue(settings, site):
    settings.TASKS = DB_QUEUE
    settings.POLIS_IMPORT_ALLOWED_HOSTS = "127.0.0.1"
    settings.POLIS_IMPORT_STALE_SECONDS = 300
    settings.POLIS_IMPORT_MAX_ATTEMPTS = 3
    site.page("/one.html", PAGE.format("One"))
    site.page("/two.html", PAGE.format("Two"))


def _run_worker() -> None:
    in_process_worker("import-worker").run()


def _start(site, writer, *paths) -> ImportJob:
    return import_urls_start(
        actor=writer,
        urls=[site.url(path) for path in paths],
        as_chapters=False,
        options=ImportOptions(),
    )


def _titles() -> list[str]:
    return sorted(Work.objects.values_list("title", flat=True))


def _tasks() -> list[tuple[str, list]]:
    return [
        (row.status, row.args_kwargs["args"])
        for row in DBTaskResult.objects.filter(task_path="polis.imports.tasks.import_run")
    ]


@pytest.mark.django_db
def test_the_task_is_queued_in_the_same_transaction_as_the_job(site, make_user):
    writer = make_user()
    with pytest.raises(RuntimeError), transaction.atomic():
        _start(site, writer, "/one.html")
        assert len(_tasks()) == 1  # written with the job, before any commit
        raise RuntimeError("the request fails after the job was made")
    assert (ImportJob.objects.count(), _tasks()) == (0, [])  # neither survives alone
    job = _start(site, writer, "/one.html")
    assert _tasks() == [("READY", [job.pk])]


@transactional
def test_run_twice_makes_each_work_once(site, make_user):
    job = _start(site, make_user(), "/one.html", "/two.html")
    _run_worker()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.errors) == ("done", 1, [])
    assert _titles() == ["One", "Two"]
    again = import_job_run(job_id=job.pk)  # the same task delivered a second time
    assert (again.status, again.attempts) == ("done", 1)
    assert _titles() == ["One", "Two"]
    assert site.requests == ["/one.html", "/two.html"]


@transactional
def test_a_job_another_worker_is_running_is_left_to_it(site, make_user):
    job = _start(site, make_user(), "/one.html")
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", attempts=1, beat_at=timezone.now() - timedelta(seconds=30)
    )
    assert import_job_run(job_id=job.pk).status == "running"
    assert import_jobs_resume() == 0
    assert (site.requests, _titles()) == ([], [])


def _died_after_the_first_draft(site, writer, *, attempts: int, silent_for: float) -> ImportJob:
    """The state a worker killed mid-job leaves: claimed, one draft of two made, then quiet."""
    job = _start(site, writer, "/one.html", "/two.html")
    ImportJob.objects.filter(pk=job.pk).update(status="running", attempts=attempts)
    imported_draft_create(
        actor=writer, parsed=read_fetched(site.url("/one.html")), options=ImportOptions(), job=job
    )
    ImportJob.objects.filter(pk=job.pk).update(
        beat_at=timezone.now() - timedelta(seconds=silent_for)
    )
    DBTaskResult.objects.all().delete()  # and its task is gone (RQ: marked abandoned)
    site.requests.clear()
    return job


@transactional
def test_a_job_whose_worker_died_is_resumed_without_making_a_work_twice(site, make_user):
    job = _died_after_the_first_draft(site, make_user(), attempts=1, silent_for=301)
    assert import_jobs_resume() == 1
    job.refresh_from_db()
    assert job.status == "queued"
    assert _tasks() == [("READY", [job.pk])]
    _run_worker()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.errors) == ("done", 2, [])
    assert _titles() == ["One", "Two"]
    assert site.requests == ["/two.html"]  # the page already made into a draft is not fetched
    assert _tasks() == [("SUCCESSFUL", [job.pk])]
    assert import_jobs_resume() == 0


@transactional
def test_the_task_run_again_after_its_lease_resumes_a_stale_job(site, make_user):
    job = _died_after_the_first_draft(site, make_user(), attempts=1, silent_for=301)
    done = import_job_run(job_id=job.pk)
    assert (done.status, done.attempts) == ("done", 2)
    assert _titles() == ["One", "Two"]


@transactional
def test_a_job_that_keeps_losing_its_worker_fails_with_the_reason(site, make_user):
    job = _died_after_the_first_draft(site, make_user(), attempts=3, silent_for=301)
    assert import_jobs_resume() == 1
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.errors == [
        "The import stopped 3 times before it finished (its worker was lost each time)."
    ]
    assert (_tasks(), site.requests, _titles()) == ([], [], ["One"])
