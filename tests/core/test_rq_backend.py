"""Background tasks on RQ (django-tasks-rq) with Redis: queued on commit, run by RQ's worker.

Real processes: an archive with POLIS_TASK_BACKEND=django_tasks_rq.RQBackend, a wrangler's
change that queues a filter-set refresh, and `polis rqworker` running it; `polis worker` then
refuses to run tasks it cannot see and runs the periodic jobs with `--periodic-only`.
"""

import os

import pytest

from tests.processes import migrated_sqlite, run_polis

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="RQ keeps its jobs in Redis (the PostgreSQL leg)"
)

WRANGLE = """
from polis.accounts.models import User
from polis.tags.models import FilterTagging, Tag, TagType
from polis.tags.actions import tags_find_or_create
from polis.tags.wrangling import tag_add_meta, tag_set_canonical
from polis.tags import filters
from polis.tags.filters import works_affected_by
filters.SYNC_LIMIT = 5  # a refresh of more works than this goes to the queue
wrangler = User.objects.create_user(
    "wrangler", "w@example.org", "pw-long-enough", is_tag_wrangler=True
)
sub = max(Tag.objects.filter(type=TagType.FREEFORM, canonical=True, merger=None),
          key=lambda tag: tag.taggings.count())
[meta] = tags_find_or_create(names=["RQ Meta"], tag_type=TagType.FREEFORM)
tag_set_canonical(actor=wrangler, tag=meta, canonical=True)
tag_add_meta(actor=wrangler, sub=sub, meta=meta)
print(len(works_affected_by([sub.pk])), FilterTagging.objects.filter(tag=meta).count())
"""

HEALTH = """
import json
from django.test import Client
response = Client().get("/health")
print(json.dumps([response.json()["status"], response.json()["rq"]["queued"],
                  response.json()["rq"]["workers"]]))
"""

FILTERED = """
from polis.tags.models import FilterTagging
print(FilterTagging.objects.filter(tag__name="RQ Meta").count())
"""


@pytest.fixture
def archive(tmp_path):
    import redis

    env = {
        **os.environ,
        "POLIS_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "polis.settings",
        "POLIS_TASK_BACKEND": "django_tasks_rq.RQBackend",
    }
    env.pop("DATABASE_URL", None)  # an SQLite file of its own: the queue is what is tested
    env.pop("PYTEST_XDIST_WORKER", None)
    connection = redis.Redis.from_url(env["REDIS_URL"])
    for key in connection.scan_iter("rq:*"):
        connection.delete(key)
    yield env
    for key in connection.scan_iter("rq:*"):
        connection.delete(key)


polis = run_polis


def test_a_refresh_queued_on_commit_is_run_by_rqworker(archive):
    import redis

    migrated_sqlite(archive)
    polis(archive, "bench", "corpus", "--works", "40")
    affected, before = map(int, polis(archive, "shell", stdin=WRANGLE).stdout.split()[-2:])
    assert affected > 0 and before == 0  # queued, not run: the wrangler's request is done
    queued = redis.Redis.from_url(archive["REDIS_URL"]).llen("rq:queue:default")
    assert queued == 1
    # /health: one job waiting and no RQ worker to run it.
    assert polis(archive, "shell", stdin=HEALTH).stdout.split("\n")[-2] == '["degraded", 1, 0]'

    polis(archive, "rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default")

    assert int(polis(archive, "shell", stdin=FILTERED).stdout.split()[-1]) == affected
    healthy = polis(archive, "doctor", "--check", "filter sets", check=False)
    assert healthy.stdout.splitlines() == ["filter sets: ok"]


def test_polis_worker_runs_only_the_periodic_jobs_beside_rq(archive):
    migrated_sqlite(archive)
    refused = polis(archive, "worker", "--batch", check=False)
    assert refused.returncode != 0
    assert "polis worker --periodic-only" in refused.stderr
    done = polis(archive, "worker", "--periodic-only", "--batch", "-v", "2")
    assert done.returncode == 0
