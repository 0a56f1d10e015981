"""Background work for imports: fetching URLs happens in the worker, never in a request."""

from django_tasks import task


@task()
def import_run(job_id: int) -> str:
    from polis.imports.actions import import_job_run

    return import_job_run(job_id=job_id).status
