"""Hits: one per visitor per work per day, never the creator's, written in batches."""

import datetime
import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polis.engagement.hits import hits_flush, hits_reset
from polis.engagement.models import HitVisit
from polis.search.models import WorkDoc
from tests.engagement.conftest import VIEWERS, client_for

pytestmark = pytest.mark.django_db


STORES = [
    "local",
    "cache",
    pytest.param(
        "redis",
        marks=pytest.mark.skipif(
            not os.environ.get("REDIS_URL"), reason="the Redis queue needs REDIS_URL"
        ),
    ),
]


@pytest.fixture(autouse=True, params=STORES)
def _store(request, settings):
    """Every test runs with each queue: this process's, Django's cache API, and Redis."""
    settings.POLIS_HITS_STORE = request.param
    hits_reset()
    yield request.param
    hits_reset()


def _hits(work) -> int:
    work.refresh_from_db(fields=["hit_count"])
    return work.hit_count


@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_viewer_but_the_creator_makes_one_hit_a_day(cast, viewer):
    people, work = cast
    client = client_for(people, viewer)

    for _ in range(3):
        client.get(work.get_absolute_url())
    hits_flush(everything=True)

    assert _hits(work) == (0 if viewer == "creator" else 1)


def test_page_views_write_nothing_until_the_flush(cast):
    people, work = cast
    client = client_for(people, "anonymous")
    client.get(work.get_absolute_url())  # warm up

    with CaptureQueriesContext(connection) as queries:
        for n in range(5):
            client_for(people, "anonymous", address=f"198.51.100.{n}").get(work.get_absolute_url())
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == [] or all("django_session" in sql for sql in writes)
    assert _hits(work) == 0

    assert hits_flush(everything=True) == 6
    assert _hits(work) == 6
    assert WorkDoc.objects.get(work=work).hit_count == 6  # the search index stays exact


def test_the_queue_flushes_itself_past_the_threshold(cast, settings, monkeypatch):
    settings.POLIS_HITS_FLUSH_AT = 3
    people, work = cast
    now = [1_000_000.0]
    monkeypatch.setattr("polis.engagement.hits.time.time", lambda: now[0])

    def visit(n):
        client_for(people, "anonymous", address=f"198.51.100.{n}").get(work.get_absolute_url())

    for n in range(3):
        visit(n)
    # The third hit reached the threshold; a flush takes only closed slots, so these wait.
    assert _hits(work) == 0
    now[0] += 10
    for n in range(3, 6):
        visit(n)  # the sixth hit (third of this slot) flushes the first slot
    assert _hits(work) == 3
    hits_flush(everything=True)
    assert _hits(work) == 6


def test_the_queue_flushes_itself_after_the_interval(cast, settings, monkeypatch):
    settings.POLIS_HITS_FLUSH_SECONDS = 60
    people, work = cast
    now = [1_000_000.0]
    monkeypatch.setattr("polis.engagement.hits.time.time", lambda: now[0])

    client_for(people, "anonymous", address="198.51.100.1").get(work.get_absolute_url())
    now[0] += 61
    client_for(people, "anonymous", address="198.51.100.2").get(work.get_absolute_url())
    now[0] += 61
    client_for(people, "anonymous", address="198.51.100.3").get(work.get_absolute_url())

    assert _hits(work) == 2


def test_visitors_not_shared_by_the_cache_are_still_counted_once(cast):
    """Two app servers with their own local caches: the ledger keeps the count exact."""
    people, work = cast
    client = client_for(people, "other")
    client.get(work.get_absolute_url())
    hits_flush(everything=True)

    hits_reset()  # the other server never saw this visitor
    client.get(work.get_absolute_url())
    hits_flush(everything=True)

    assert _hits(work) == 1
    assert HitVisit.objects.count() == 1


def test_a_new_day_counts_again_and_old_ledger_rows_are_pruned(cast, monkeypatch):
    people, work = cast
    client = client_for(people, "other")
    days = iter([datetime.date(2030, 1, 1), datetime.date(2030, 1, 2), datetime.date(2030, 1, 4)])
    current = [next(days)]
    monkeypatch.setattr("polis.engagement.hits.timezone.localdate", lambda: current[0])

    for _ in range(3):
        client.get(work.get_absolute_url())
        hits_flush(everything=True)
        current[0] = next(days, current[0])

    assert _hits(work) == 3
    assert list(HitVisit.objects.values_list("day", flat=True)) == [datetime.date(2030, 1, 4)]


def test_flush_hits_command(cast):
    people, work = cast
    client_for(people, "other").get(work.get_absolute_url())

    call_command("flush_hits", verbosity=0)

    assert _hits(work) == 1


def test_hits_of_a_deleted_work_are_dropped(cast):
    from polis.works.actions import work_delete

    people, work = cast
    client_for(people, "other").get(work.get_absolute_url())
    work_delete(actor=people["creator"], work=work)

    assert hits_flush(everything=True) == 0
    assert HitVisit.objects.count() == 0


def test_hit_recording_can_be_turned_off(cast, settings):
    settings.POLIS_HITS_ENABLED = False
    people, work = cast
    client_for(people, "other").get(work.get_absolute_url())
    hits_flush(everything=True)
    assert _hits(work) == 0


def test_many_visitors_are_all_counted(cast, settings, _store):
    """More visitors than the default local-memory cache holds (300 entries)."""
    settings.POLIS_HITS_FLUSH_AT = 10_000
    if _store == "cache":  # a shared cache has no 300-entry limit, unlike the local default
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "big",
                "OPTIONS": {"MAX_ENTRIES": 10_000},
            }
        }
    people, work = cast
    from django.test import RequestFactory

    from polis.engagement.hits import hit_record

    factory = RequestFactory()
    for n in range(700):
        request = factory.get("/", REMOTE_ADDR=f"10.0.{n // 256}.{n % 256}")
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        hit_record(request, work, creator=False)

    assert hits_flush(everything=True) == 700
    assert _hits(work) == 700


def test_a_hit_queued_for_a_deleted_work_does_not_land_on_a_work_reusing_its_id(cast):
    import time

    from polis.engagement import hits

    people, work = cast
    created = int(work.created_at.timestamp() * 1_000_000)
    seen = f"{work.pk}:2030-01-01:visitor"
    # Queued while another work, created a moment earlier, had this id.
    hits.queue().push(seen, f"{seen}:{created - 1}", hits._slot(time.time()))

    assert hits_flush(everything=True) == 0
    assert _hits(work) == 0
