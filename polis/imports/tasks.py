"""Background work for imports: fetching URLs happens in the worker, never in a request."""

import contextlib

from django.db import DatabaseError
from django_tasks import task


@task()
def import_run(job_id: int) -> str:
    from polis.core.transient import is_transient_database_error
    from polis.imports.jobs import import_job_fail, import_job_requeue, import_job_run

    try:
        return import_job_run(job_id=job_id).status
    except Exception as error:
        if is_transient_database_error(error):
            # The worker runs the task again after its back-off (polis.core.worker).
            with contextlib.suppress(DatabaseError):  # else it resumes once stale (jobs.py)
                import_job_requeue(job_id=job_id)
        else:
            import_job_fail(job_id=job_id, message="The import stopped on an unexpected error.")
        raise
