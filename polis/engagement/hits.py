"""Hits: one per visitor per work per day, never the creator's own, written in batches.

A page view never writes to the database. It asks a queue whether this visitor was already
counted today for this work and, if not, queues the hit. Whichever request finds the queue
old enough (POLIS_HITS_FLUSH_SECONDS) or long enough (POLIS_HITS_FLUSH_AT) flushes it: the
queued (work, day, visitor) triples go into the HitVisit ledger with one INSERT … ON CONFLICT
DO NOTHING … RETURNING per 500, and each work's count rises by the rows really inserted, in one
UPDATE per work. The ledger keeps the count exact even when app servers do not share a queue.

Queues, chosen from the default cache (or POLIS_HITS_STORE = "local" | "redis" | "cache"):

- local: this process's memory, for the per-process local-memory cache of the embedded setup
  (each server process flushes its own queue, on its interval and when it exits);
- redis: one Lua call per new hit (seen-check, push and registration in one round trip), for
  many app servers sharing Redis;
- cache: any other shared cache, through Django's cache API (several round trips a hit).

Every process also remembers the visitors it counted lately, so a returning reader costs no
round trip at all. Hits are queued in time slots; a flush takes only slots that have closed
(unless told to take everything), so it never races the requests still filling a slot.

A queued hit names its work by id and creation time, so a hit waiting for a deleted work never
lands on a newer work that reused its id (SQLite reuses the highest id after a delete).
"""

import atexit
import contextlib
import logging
import multiprocessing.util
import threading
import time
from collections import Counter, OrderedDict
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from polis.engagement.identity import visitor_key
from polis.engagement.models import HitVisit
from polis.search.indexing import update_stats
from polis.works.models import Work

logger = logging.getLogger(__name__)

PREFIX = "polis:hits"
SLOT_SECONDS = 10
SEEN_SECONDS = 2 * 86400  # a day boundary may fall between a view and the next
KEEP_SECONDS = 2 * 86400  # queued hits outlive any sensible flush interval
_INSERT_BATCH = 500
_RECENT_MAX = 50_000


def _enabled() -> bool:
    return settings.POLIS_HITS_ENABLED


def _interval() -> float:
    return settings.POLIS_HITS_FLUSH_SECONDS


def _threshold() -> int:
    return settings.POLIS_HITS_FLUSH_AT


def _slot(now: float) -> int:
    return int(now // SLOT_SECONDS)


class _Recent:
    """Visitors this process counted lately: a returning reader asks no shared store."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.keys: OrderedDict[str, None] = OrderedDict()
        self.lock = threading.Lock()

    def seen(self, key: str) -> bool:
        with self.lock:
            if key in self.keys:
                self.keys.move_to_end(key)
                return True
            return False

    def add(self, key: str) -> None:
        with self.lock:
            self.keys[key] = None
            if len(self.keys) > self.size:
                self.keys.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.keys.clear()


class LocalQueue:
    """This process's queue; seen-check and push under one lock, so no hit is ever lost."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: OrderedDict[str, None] = OrderedDict()
        self.slots: dict[int, list[str]] = {}

    def push(self, seen_key: str, entry: str, slot: int) -> int:
        """Queue `entry` unless `seen_key` was queued before; the slot's length, or 0."""
        with self.lock:
            if seen_key in self.seen:
                return 0
            self.seen[seen_key] = None
            if len(self.seen) > 4 * _RECENT_MAX:
                self.seen.popitem(last=False)  # the ledger still deduplicates
            items = self.slots.setdefault(slot, [])
            items.append(entry)
            return len(items)

    def take(self, before: int | None) -> list[str]:
        with self.lock:
            ready = [s for s in self.slots if before is None or s < before]
            return [entry for s in sorted(ready) for entry in self.slots.pop(s)]

    def lock_flush(self) -> bool:
        return True  # one process, and take() is atomic

    def unlock_flush(self) -> None:
        pass

    def clear(self) -> None:
        with self.lock:
            self.seen.clear()
            self.slots.clear()


# Seen-check, push and registration of the slot, atomically, in one round trip.
_PUSH = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  local length = redis.call('RPUSH', KEYS[2], ARGV[2])
  redis.call('EXPIRE', KEYS[2], ARGV[3])
  redis.call('SADD', KEYS[3], ARGV[4])
  return length
end
return 0
"""


class RedisQueue:
    """The queue in Redis, shared by every app server (keys under the cache's prefix)."""

    def __init__(self) -> None:
        self._script = None

    def _client(self):
        return cache._cache.get_client(write=True)

    def _key(self, name: str) -> str:
        return cache.make_key(f"{PREFIX}:{name}")

    def push(self, seen_key: str, entry: str, slot: int) -> int:
        if self._script is None:
            self._script = self._client().register_script(_PUSH)
        keys = [self._key(f"seen:{seen_key}"), self._key(f"slot:{slot}"), self._key("slots")]
        return int(self._script(keys=keys, args=[SEEN_SECONDS, entry, KEEP_SECONDS, slot]))

    def take(self, before: int | None) -> list[str]:
        client = self._client()
        slots = sorted(int(s) for s in client.smembers(self._key("slots")))
        entries: list[str] = []
        for slot in slots:
            if before is not None and slot >= before:
                continue
            with client.pipeline(transaction=True) as pipe:
                pipe.lrange(self._key(f"slot:{slot}"), 0, -1)
                pipe.delete(self._key(f"slot:{slot}"))
                pipe.srem(self._key("slots"), slot)
                items, _, _ = pipe.execute()
            entries.extend(item.decode() if isinstance(item, bytes) else item for item in items)
        return entries

    def lock_flush(self) -> bool:
        return bool(self._client().set(self._key("lock"), "1", nx=True, ex=300))

    def unlock_flush(self) -> None:
        self._client().delete(self._key("lock"))

    def clear(self) -> None:
        client = self._client()
        for key in client.scan_iter(match=self._key("*")):
            client.delete(key)


class CacheQueue:
    """The queue through Django's cache API, for shared caches other than Redis.

    A slot is a counter of its length plus one key per entry; closed slots are read by
    number, from the last one flushed to the one before the current slot.
    """

    def _incr(self, key: str) -> int:
        if cache.add(key, 1, timeout=KEEP_SECONDS):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired in between
            cache.add(key, 1, timeout=KEEP_SECONDS)
            return 1

    def push(self, seen_key: str, entry: str, slot: int) -> int:
        if not cache.add(f"{PREFIX}:seen:{seen_key}", 1, timeout=SEEN_SECONDS):
            return 0
        position = self._incr(f"{PREFIX}:len:{slot}")
        cache.set(f"{PREFIX}:item:{slot}:{position}", entry, timeout=KEEP_SECONDS)
        return position

    def take(self, before: int | None) -> list[str]:
        last = _slot(time.time()) if before is None else before - 1
        oldest = last - KEEP_SECONDS // SLOT_SECONDS
        done = cache.get(f"{PREFIX}:done")
        slots = list(range(max(oldest, int(done) + 1 if done is not None else oldest), last + 1))
        entries: list[str] = []
        for start in range(0, len(slots), 1000):
            chunk = {f"{PREFIX}:len:{slot}": slot for slot in slots[start : start + 1000]}
            for length_key, length in cache.get_many(list(chunk)).items():
                slot = chunk[length_key]
                keys = [f"{PREFIX}:item:{slot}:{n}" for n in range(1, int(length) + 1)]
                for first in range(0, len(keys), 1000):
                    found = cache.get_many(keys[first : first + 1000])
                    entries.extend(found.values())
                    cache.delete_many(list(found))
                cache.delete(length_key)
        # The open slot (taken only when flushing everything) is read again next time.
        closed = last if before is not None else last - 1
        cache.set(f"{PREFIX}:done", closed, timeout=KEEP_SECONDS)
        return entries

    def lock_flush(self) -> bool:
        return cache.add(f"{PREFIX}:lock", 1, timeout=300)

    def unlock_flush(self) -> None:
        cache.delete(f"{PREFIX}:lock")

    def clear(self) -> None:
        cache.delete(f"{PREFIX}:done")  # the rest expires; tests clear the whole cache


_queues: dict[str, LocalQueue | RedisQueue | CacheQueue] = {}
_recent = _Recent(_RECENT_MAX)
_state = {"next_flush": 0.0, "exit_hook": False, "clock": False}


def _kind() -> str:
    choice = settings.POLIS_HITS_STORE
    if choice:
        return choice
    backend = settings.CACHES["default"]["BACKEND"].lower()
    if "locmem" in backend or "dummy" in backend:
        return "local"
    return "redis" if backend.endswith("rediscache") else "cache"


def queue() -> LocalQueue | RedisQueue | CacheQueue:
    kind = _kind()
    if kind not in _queues:
        _queues[kind] = {"local": LocalQueue, "redis": RedisQueue, "cache": CacheQueue}[kind]()
    return _queues[kind]


def _install_exit_flush() -> None:
    """A process-local queue dies with its process: flush it on a clock and on the way out.

    A thread flushes it every interval, so a quiet archive's views still land without a new
    visitor to trigger the flush. At exit, `atexit` covers plain processes; Granian's workers
    are multiprocessing children, which leave through `os._exit` after running
    multiprocessing's finalizers, so the flush is registered there too (a graceful restart
    loses no queued hit). Shared queues (Redis, a shared cache) are flushed by the task
    worker's periodic job instead (polis.engagement.apps).
    """
    if _kind() != "local":
        return
    if not _state["exit_hook"]:
        _state["exit_hook"] = True
        atexit.register(_flush_at_exit)
        multiprocessing.util.Finalize(None, _flush_at_exit, exitpriority=10)
    if settings.POLIS_HITS_FLUSH_THREAD and not _state["clock"]:
        _state["clock"] = True
        threading.Thread(target=_flush_on_a_clock, name="hits-flush", daemon=True).start()


def _flush_on_a_clock() -> None:
    while True:
        time.sleep(max(_interval(), 0.5))
        if not settings.POLIS_HITS_FLUSH_THREAD:
            _state["clock"] = False  # switched off (tests): the next hit may start it again
            return
        try:
            if time.time() >= _state["next_flush"]:
                hits_flush()
        except Exception:
            logger.exception("Flushing the queued hits failed; retrying at the next interval")
        finally:
            connection.close()


def _flush_at_exit() -> None:
    # The process is ending: nothing more can be done if the database is already gone.
    with contextlib.suppress(Exception):
        hits_flush(everything=True)
        connection.close()


def hit_record(request: HttpRequest, work: Work, *, creator: bool) -> bool:
    """Count this page view if it is the visitor's first view of the work today."""
    if creator or not work.posted or not _enabled():
        return False
    day = timezone.localdate().isoformat()
    seen_key = f"{work.pk}:{day}:{visitor_key(request)}"
    if _recent.seen(seen_key):
        return False
    now = time.time()
    created = int(work.created_at.timestamp() * 1_000_000)
    position = queue().push(seen_key, f"{seen_key}:{created}", _slot(now))
    _recent.add(seen_key)
    if not position:
        return False
    _install_exit_flush()
    if position % _threshold() == 0 or now >= _state["next_flush"]:
        if _state["next_flush"] == 0.0:
            _state["next_flush"] = now + _interval()  # the first hit starts the clock
        else:
            hits_flush()
    return True


def hits_flush(*, everything: bool = False) -> int:
    """Write the queued hits to the database; returns how many hits were counted.

    Takes the slots that have closed; `everything` also takes the open one (for the
    `flush_hits` command, process exit and tests).
    """
    now = time.time()
    _state["next_flush"] = now + _interval()
    store = queue()
    if not store.lock_flush():
        return 0  # another process is flushing
    try:
        entries = store.take(None if everything else _slot(now))
    finally:
        store.unlock_flush()
    return _write(entries) if entries else 0


def hits_reset() -> None:
    """Forget every queued hit and every visitor seen (tests)."""
    queue().clear()
    _recent.clear()
    _state["next_flush"] = 0.0


def _parse(entries: list[str]) -> set[tuple[int, date, str, int]]:
    rows = set()
    for entry in entries:
        try:
            work_id, day, visitor, created = entry.split(":")
            rows.add((int(work_id), date.fromisoformat(day), visitor, int(created)))
        except ValueError:
            continue
    return rows


@transaction.atomic
def _write(entries: list[str]) -> int:
    parsed = _parse(entries)
    works = Work.objects.filter(pk__in={row[0] for row in parsed}).values_list("pk", "created_at")
    existing = {(pk, int(created_at.timestamp() * 1_000_000)) for pk, created_at in works}
    rows = sorted({(pk, day, who) for pk, day, who, created in parsed if (pk, created) in existing})
    table = HitVisit._meta.db_table
    inserted: Counter[int] = Counter()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _INSERT_BATCH):
            batch = rows[start : start + _INSERT_BATCH]
            values = ", ".join(["(%s, %s, %s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} (work_id, day, visitor) VALUES {values} "
                "ON CONFLICT (work_id, day, visitor) DO NOTHING RETURNING work_id",
                [value for row in batch for value in row],
            )
            inserted.update(work_id for (work_id,) in cursor.fetchall())
    for work_id, count in inserted.items():
        Work.objects.filter(pk=work_id).update(hit_count=F("hit_count") + count)
    if inserted:
        update_stats(inserted)
    _prune()
    return sum(inserted.values())


def _prune() -> None:
    """The ledger only needs today and yesterday (a day boundary may fall inside a flush)."""
    today = timezone.localdate()
    if cache.add(f"{PREFIX}:pruned:{today.isoformat()}", 1, timeout=2 * 86400):
        HitVisit.objects.filter(day__lt=today - timedelta(days=1)).delete()
