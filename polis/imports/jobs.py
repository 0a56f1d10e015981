"""Running a URL import in the worker: claimed once, resumed if its worker dies, safe twice.

- **Claimed atomically.** `import_job_run` takes the job with one conditional UPDATE (QUEUED,
  or RUNNING but silent past POLIS_IMPORT_STALE_SECONDS) to RUNNING; a second run of the
  same task, or a second worker, finds nothing to claim and leaves the job alone.
- **Beats while it runs**: after the claim, each page fetched and each draft made.
- **Resumable.** A job whose worker died is taken up again, by the task run again after the
  task's lease (polis.core.worker) or by the periodic `imports.resume_stale`
  (`import_jobs_resume`), which queues it again with the change (enqueue_with_change); a
  resumed run skips the URLs whose draft the job already made, so no work is made twice.
  After POLIS_IMPORT_MAX_ATTEMPTS claims it is failed, with the reason, not retried again.
- **A transient database error** (a lock, a lost connection: polis.core.transient) puts the
  job back to QUEUED and lets the worker run the task again after its back-off; any other
  error fails the job (polis/imports/tasks.py).
"""

import logging
import xml.etree.ElementTree as ET
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from polis.core.queueing import enqueue_with_change
from polis.imports.actions import ImportOptions, imported_draft_create, merge_as_chapters
from polis.imports.fetch import FetchRefused
from polis.imports.models import ImportedWork, ImportJob
from polis.imports.pages import read_fetched
from polis.imports.parsed import ImportRefused, ParsedWork

logger = logging.getLogger(__name__)
LOST = "The import stopped {attempts} times before it finished (its worker was lost each time)."


def _stale_before():
    return timezone.now() - timedelta(seconds=settings.POLIS_IMPORT_STALE_SECONDS)


def _beat(job: ImportJob) -> None:
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(
        beat_at=timezone.now()
    )


def import_job_claim(job_id: int) -> bool:
    """Take the job for this run: True if it was QUEUED, or RUNNING with a silent worker."""
    claimable = Q(status=ImportJob.Status.QUEUED) | Q(
        status=ImportJob.Status.RUNNING, beat_at__lt=_stale_before()
    )
    return bool(
        ImportJob.objects.filter(claimable, pk=job_id).update(
            status=ImportJob.Status.RUNNING, beat_at=timezone.now(), attempts=F("attempts") + 1
        )
    )


def import_job_run(*, job_id: int) -> ImportJob:
    """Fetch and read every URL of the job not yet made into a draft (no transaction is held
    while fetching), then make the drafts, each in its own transaction."""
    if not import_job_claim(job_id):
        return ImportJob.objects.get(pk=job_id)  # done, or another worker is on it
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    if job.attempts > settings.POLIS_IMPORT_MAX_ATTEMPTS:
        import_job_fail(job_id=job.pk, message=LOST.format(attempts=job.attempts - 1))
        return ImportJob.objects.get(pk=job_id)
    options = ImportOptions(**job.options)
    made_from = set(ImportedWork.objects.filter(job=job).values_list("source_url", flat=True))
    made = len(made_from)
    todo = [] if job.as_chapters and made else [url for url in job.urls if url not in made_from]
    parsed: list[ParsedWork] = []
    errors: list[str] = []
    for url in todo:
        try:
            parsed.append(read_fetched(url))
        except (FetchRefused, ImportRefused) as error:
            errors.append(f"{url}: {error}")
        except (ValueError, LookupError, RecursionError, ET.ParseError) as error:
            # A page no reader understands must not leave the job "importing" forever.
            logger.warning("import %s: %s could not be read: %r", job.pk, url, error)
            errors.append(f"{url}: This page could not be read.")
        _beat(job)
    if job.as_chapters and parsed:
        parsed = [merge_as_chapters(parsed)]
    for work in parsed:
        try:
            imported_draft_create(actor=job.owner, parsed=work, options=options, job=job)
            made += 1
        except ValidationError as error:
            errors.append(f"{work.source_url or work.title}: {' '.join(error.messages)}")
        _beat(job)
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING).update(
        errors=errors,
        status=ImportJob.Status.DONE if made else ImportJob.Status.FAILED,
        finished_at=timezone.now(),
    )
    return ImportJob.objects.get(pk=job_id)


def import_job_requeue(*, job_id: int) -> None:
    """After a transient database error: QUEUED again, for the worker's next attempt."""
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).update(
        status=ImportJob.Status.QUEUED
    )


def import_job_fail(*, job_id: int, message: str) -> None:
    """Mark a job that the worker could not finish, so its page stops waiting."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None and job.status != ImportJob.Status.DONE:
        job.status = ImportJob.Status.FAILED
        job.errors = [*job.errors, message]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "errors", "finished_at"])


def import_jobs_resume(limit: int = 100) -> int:
    """Queue again the jobs whose worker went silent (RUNNING) or that no worker took up
    after being handed back (QUEUED, once started); fail those out of attempts. The
    periodic job `imports.resume_stale`; returns how many were queued or failed."""
    from polis.imports.tasks import import_run

    cutoff = _stale_before()
    stale = ImportJob.objects.filter(
        status__in=[ImportJob.Status.RUNNING, ImportJob.Status.QUEUED], beat_at__lt=cutoff
    ).order_by("beat_at")
    handled = 0
    for job in stale[:limit]:
        with transaction.atomic():
            again = ImportJob.objects.filter(pk=job.pk, status=job.status, beat_at=job.beat_at)
            if job.attempts >= settings.POLIS_IMPORT_MAX_ATTEMPTS:
                if again.update(status=ImportJob.Status.RUNNING):
                    import_job_fail(job_id=job.pk, message=LOST.format(attempts=job.attempts))
                    handled += 1
                continue
            if again.update(status=ImportJob.Status.QUEUED, beat_at=timezone.now()):
                enqueue_with_change(import_run, job.pk)
                logger.warning("import %s: its worker went silent; queued again", job.pk)
                handled += 1
    return handled
