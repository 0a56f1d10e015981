"""A quiet archive's views still land: each process flushes its own hit queue on a clock.

Before, the local queue was flushed only when a later visitor arrived after the interval, so
the last views before a quiet spell were never written. The thread is real and so is the
database it writes to (a transactional test: the thread has its own connection).
"""

import time

import pytest
from django.test import Client

from polis.engagement import hits
from polis.works.models import Work

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_queued_hits_are_written_with_no_later_visitor(settings, make_work):
    settings.POLIS_HITS_STORE = "local"
    settings.POLIS_HITS_FLUSH_SECONDS = 0.5
    settings.POLIS_HITS_FLUSH_AT = 1000
    work = make_work()
    hits.hits_reset()
    settings.POLIS_HITS_FLUSH_THREAD = True
    try:
        for reader in range(3):
            response = Client(HTTP_USER_AGENT=f"reader {reader}").get(f"/works/{work.pk}")
            assert response.status_code == 200
        assert Work.objects.get(pk=work.pk).hit_count == 0  # queued, not yet written
        deadline = time.monotonic() + 20
        while Work.objects.get(pk=work.pk).hit_count != 3:
            assert time.monotonic() < deadline, "the clock never flushed the queue"
            time.sleep(0.1)
    finally:
        settings.POLIS_HITS_FLUSH_THREAD = False
        deadline = time.monotonic() + 5
        while hits._state["clock"] and time.monotonic() < deadline:
            time.sleep(0.1)  # the thread sees the switch and ends before the next test
        hits.hits_reset()
    assert not hits._state["clock"]
