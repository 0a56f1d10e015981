"""kill -9 of the task worker while it builds a download: the next worker builds it.

Before, the reader saw "Preparing" for 15 minutes (the pending mark's life) and the task
stayed RUNNING for good. Now the killed worker's task is handed on after its lease and run
again; the next request gets the file. Real processes on a fresh archive: `polis shell`
posts the work and asks for its PDF as a guest would, `polis worker` builds it.
"""

import json
import signal

from tests.core.test_worker_crash import kill_while_running, start_worker, wait_for
from tests.processes import database_rows, fresh_archive, run_polis

POST_AND_ASK = """
from django.test import Client
from django_tasks_db.models import DBTaskResult
from polis.accounts.models import User
from polis.works.actions import ChapterInput, WorkInput, work_create
writer = User.objects.create_user("writer", "w@example.org", "pw-long-enough")
paragraph = "<p>" + " ".join(f"word{n}" for n in range(200)) + "</p>"
work = work_create(
    actor=writer,
    pseuds=[writer.pseuds.get(is_default=True)],
    data=WorkInput(title="Long Tide", rating="General Audiences",
                   warnings=["No Archive Warnings Apply"], fandoms=["Original Work"]),
    chapter=ChapterInput(text=paragraph * 60),
    post=True,
)
url = f"/downloads/{work.pk}/Long_Tide.pdf"
response = Client().get(url)
task = DBTaskResult.objects.get(task_path="polis.downloads.tasks.download_prepare")
print(response.status_code, url, task.pk)
"""

ASK = """
from django.test import Client
response = Client().get("{url}")
body = b"".join(response.streaming_content) if response.streaming else response.content
print(response.status_code, response["Content-Type"].split(";")[0], body[:5].decode("latin-1"))
"""


def worker_ids(env, task_id: str) -> list[str]:
    postgres = env.get("DATABASE_URL", "").startswith("postgres")
    [(workers,)] = database_rows(
        env,
        "SELECT worker_ids FROM django_tasks_database_dbtaskresult WHERE id = ?",
        [task_id if postgres else task_id.replace("-", "")],
    )
    return workers if postgres else json.loads(workers)


def test_a_download_whose_worker_was_killed_mid_build_is_built_by_the_next_worker(tmp_path):
    with fresh_archive(tmp_path, "polis_dlcrash", POLIS_DOWNLOAD_SYNC_WORDS="0") as env:
        status, url, task_id = run_polis(env, "shell", stdin=POST_AND_ASK).stdout.split()[-3:]
        assert status == "202"  # "Preparing": queued for the worker

        worker = start_worker(env)
        kill_while_running(env, worker, task_id)
        asked = run_polis(env, "shell", stdin=ASK.format(url=url)).stdout.split()[-3:]
        assert asked[:2] == ["202", "text/html"]  # the fault: still "Preparing", built by no one
        assert not list((tmp_path / "downloads").rglob("*.pdf"))

        worker = start_worker(env)
        try:
            wait_for(env, task_id, "SUCCESSFUL", timeout=180)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)
        assert len(worker_ids(env, task_id)) == 2  # the killed one, then the one that built it
        asked = run_polis(env, "shell", stdin=ASK.format(url=url)).stdout.split()[-3:]
        assert asked == ["200", "application/pdf", "%PDF-"]
