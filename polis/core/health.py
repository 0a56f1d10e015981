"""`/health`: what an operator or a load balancer needs to know, as JSON.

    {"status": "ok" | "degraded" | "down",
     "database": {"ok": true, "ms": 0.4},
     "cache": {"ok": true, "ms": 0.1},
     "worker": {"ok": true, "workers": 1, "heartbeat_age": 2.1, "running": 0, "stale": 0},
     "queue": {"ready": 3, "oldest_ready_age": 0.8, "failed_last_day": 0},
     "rq": {"ok": true, "queued": 0, "workers": 2}}          (with the RQ backend only)

"down" (HTTP 503) when the database cannot be read: this server cannot serve pages.
"degraded" (HTTP 200: pages still work) when the cache fails, no worker has beaten within its
lease, the oldest ready task has waited longer than a lease, or (RQ) no RQ worker listens on
the queue: notifications, downloads and refreshes are late. Ages are seconds.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from polis.core import worker as polis_worker

_CACHE_KEY = "polis:health"


def _timed(check):
    start = time.perf_counter()
    try:
        extra = check() or {}
        ok = True
    except Exception as exc:  # any failure of a component is the answer, not an error
        extra, ok = {"error": type(exc).__name__}, False
    return {"ok": ok, "ms": round((time.perf_counter() - start) * 1000, 2), **extra}


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    token = str(time.time())
    cache.set(_CACHE_KEY, token, timeout=30)
    if cache.get(_CACHE_KEY) != token:
        raise RuntimeError("cache did not return what was set")


def _age(moment, now) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 1)


def worker_and_queue() -> tuple[dict, dict]:
    from django_tasks_db.models import DBTaskResult

    from polis.core.models import WorkerHeartbeat

    now = timezone.now()
    lease = timedelta(seconds=polis_worker.LEASE_SECONDS)
    newest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True)
    newest_beat = newest.first()
    alive = WorkerHeartbeat.objects.filter(beat_at__gte=now - lease).count()
    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
    # A deferred task waits from its run_after, not from when it was queued.
    oldest_wait = max(oldest) if oldest and oldest[1].year < 9999 else (oldest or [None])[0]
    worker = {
        "ok": alive > 0,
        "workers": alive,
        "heartbeat_age": _age(newest_beat, now),
        "running": DBTaskResult.objects.running().count(),
    }
    queue = {
        "ready": ready.count(),
        "oldest_ready_age": _age(oldest_wait, now),
        "failed_last_day": DBTaskResult.objects.failed()
        .filter(finished_at__gte=now - timedelta(days=1))
        .count(),
    }
    return worker, queue


def rq_queue() -> dict:
    """With the RQ backend: the jobs waiting in RQ and RQ's workers (django-tasks-rq)."""
    import django_rq
    from rq import Worker

    queue = django_rq.get_queue("default")
    workers = Worker.count(queue=queue)
    return {"ok": workers > 0, "queued": queue.count, "workers": workers}


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    body = {"status": "ok", "database": _timed(_database), "cache": _timed(_cache)}
    if not body["database"]["ok"]:
        body["status"] = "down"
        return JsonResponse(body, status=503)
    try:
        body["worker"], body["queue"] = worker_and_queue()
    except DatabaseError as exc:
        body["worker"] = {"ok": False, "error": type(exc).__name__}
        body["queue"] = {}
    late = (body["queue"].get("oldest_ready_age") or 0) > polis_worker.LEASE_SECONDS
    rq_ok = True
    if "django_tasks_rq" in settings.TASKS["default"]["BACKEND"]:
        body["rq"] = _timed(rq_queue)
        rq_ok = body["rq"]["ok"]
    if not body["cache"]["ok"] or not body["worker"]["ok"] or late or not rq_ok:
        body["status"] = "degraded"
    return JsonResponse(body)
