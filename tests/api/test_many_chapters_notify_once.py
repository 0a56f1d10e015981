"""Posting many chapters at once queues one notification task for the work, and each
subscriber is told once (not once per chapter)."""

import pytest
from django_tasks_db.models import DBTaskResult

from polis.engagement.models import Notification
from polis.engagement.subscriptions import subscription_create
from tests.api.conftest import work_body

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _run_queued_tasks() -> None:
    """Each queued notification task, as stored (its function, its arguments)."""
    for row in DBTaskResult.objects.filter(task_path__contains=".notify_"):
        row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])


def _notify_tasks() -> list[str]:
    return sorted(
        path.rsplit(".", 1)[1]
        for path in DBTaskResult.objects.values_list("task_path", flat=True)
        if ".notify_" in path
    )


def test_a_30_chapter_post_queues_one_task_and_one_notice(
    alice, make_user, api_as, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    fan = make_user("fan")
    subscription_create(actor=fan, target=alice)
    chapters = [{"title": f"Part {n}", "text": f"<p>Part {n}.</p>"} for n in range(1, 31)]

    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(alice).post("/works", work_body(chapters=chapters))

    assert response.status_code == 201
    assert response.json()["stats"]["chapters"] == "30/?"
    assert _notify_tasks() == ["notify_new_work"]
    _run_queued_tasks()
    assert list(Notification.objects.filter(recipient=fan).values_list("text", flat=True)) == [
        "alice posted a new work: “The Long Way Round”."
    ]
