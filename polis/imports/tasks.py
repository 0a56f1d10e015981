"""Background work for imports: fetching URLs happens in the worker, never in a request."""

from django_tasks import task


@task()
def import_run(job_id: int) -> str:
    from polis.imports.actions import import_job_fail, import_job_run

    try:
        return import_job_run(job_id=job_id).status
    except Exception:
        import_job_fail(job_id=job_id, message="The import stopped on an unexpected error.")
        raise
