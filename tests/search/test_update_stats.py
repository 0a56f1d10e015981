"""Copying counters into the index: exact values, one statement per batch of works."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from polis.search.indexing import update_stats
from polis.search.models import WorkChange, WorkDoc
from polis.works.models import Work

pytestmark = pytest.mark.django_db


def _stats(work_ids):
    return sorted(
        WorkDoc.objects.filter(work_id__in=work_ids).values_list(
            "work_id", "hit_count", "kudos_count", "comment_count", "bookmark_count"
        )
    )


@pytest.mark.parametrize("count", [2, 9])
def test_counters_reach_the_index_in_a_fixed_number_of_queries(make_work, count):
    works = [make_work(title=f"Work {n}") for n in range(count)]
    ids = [work.pk for work in works]
    Work.objects.filter(pk__in=ids).update(
        hit_count=F("id") * 10,
        kudos_count=F("id") + 3,
        comment_count=F("id") + 2,
        bookmark_count=F("id") + 1,
    )
    changes_before = WorkChange.objects.count()

    with CaptureQueriesContext(connection) as queries:
        update_stats(ids)

    # The UPDATE and the change log's INSERT, inside one transaction (plus its bookends).
    assert [
        q["sql"].split()[0] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]
    ] == [
        "UPDATE",
        "INSERT",
    ]
    assert _stats(ids) == [(pk, pk * 10, pk + 3, pk + 2, pk + 1) for pk in sorted(ids)]
    assert WorkChange.objects.count() == changes_before + count


def test_drafts_and_unknown_ids_are_left_out_and_the_rest_updated(make_work):
    draft = make_work(post=False)
    posted = make_work()
    Work.objects.filter(pk__in=[draft.pk, posted.pk]).update(kudos_count=7)

    update_stats([draft.pk, posted.pk, 10**9])

    assert not WorkDoc.objects.filter(work_id=draft.pk).exists()
    assert _stats([posted.pk]) == [(posted.pk, 0, 7, 0, 0)]
