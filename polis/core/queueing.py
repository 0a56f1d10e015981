"""Queueing follow-up work so that a crash cannot separate a change from it.

With the database task backend (the default), the task's row is written in the same
transaction as the change that needs it: both commit, or neither does, and a worker that dies
running it hands it on (polis.core.worker). With any other backend (RQ on Redis) the task is
queued once the change commits, the only moment it may run; `polis doctor --repair` mends
what a crash in between can leave.
"""

from django.conf import settings
from django.db import transaction


def enqueue_with_change(task, *args, **kwargs) -> None:
    """Queue `task(*args, **kwargs)` to run after the current transaction commits."""
    if "django_tasks_db" in settings.TASKS["default"]["BACKEND"]:
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
