"""The accelerator answers only filters it knows: an allow-list of WorkFilter fields, so a
field it has not learnt sends the query to SQL instead of being ignored."""

import dataclasses

import pytest

from polis.search import accel, service
from polis.search.accel import ACCELERATED_FIELDS, SQL_ONLY_FIELDS, Accelerator
from polis.search.query import Sort, WorkFilter

FIELD_NAMES = {item.name for item in dataclasses.fields(WorkFilter)}


def test_every_work_filter_field_is_either_accelerated_or_declared_sql_only():
    assert ACCELERATED_FIELDS.isdisjoint(SQL_ONLY_FIELDS)
    unplaced = FIELD_NAMES - ACCELERATED_FIELDS - SQL_ONLY_FIELDS
    assert unplaced == set(), (
        "Add each new WorkFilter field to accel.ACCELERATED_FIELDS (and to candidates) or "
        f"to accel.SQL_ONLY_FIELDS: {sorted(unplaced)}"
    )
    assert (ACCELERATED_FIELDS | SQL_ONLY_FIELDS) <= FIELD_NAMES


@dataclasses.dataclass
class _FilterWithANewField(WorkFilter):
    # What a developer adds to WorkFilter without teaching the accelerator.
    pinned_only: bool = False


def test_a_field_the_accelerator_does_not_know_sends_the_query_to_sql():
    assert Accelerator.supports(_FilterWithANewField()) is True
    assert Accelerator.supports(_FilterWithANewField(pinned_only=True)) is False


@pytest.mark.parametrize(
    "changes",
    [
        {"creator_user_id": 1},
        {"creator_pseud_id": 1},
        {"creators": "alice"},
        {"hidden_creator_ids": [1]},
        {"direct_tags": [1]},
        {"exclude_direct_tags": [1]},
        {"title": "tides"},
        {"sort": Sort.TITLE},
        {"sort": Sort.BEST},  # best match without a query has nothing to rank
    ],
    ids=str,
)
def test_sql_only_filters_are_not_accelerated(changes):
    assert Accelerator.supports(WorkFilter(**changes)) is False


@pytest.mark.parametrize(
    "changes",
    [{}, {"work_ids": [3, 1]}, {"work_ids": []}, {"include_tags": [1], "exclude_tags": [2]}],
    ids=str,
)
def test_accelerated_filters_are_accelerated(changes):
    assert Accelerator.supports(WorkFilter(**changes)) is True


@pytest.mark.django_db
def test_a_search_with_an_unknown_field_runs_on_sql(settings, tmp_path, make_user, make_work):
    """The service asks `supports` and takes the SQL path: the accelerator is never built."""
    settings.POLIS_SEARCH_ACCEL = True
    settings.POLIS_SEARCH_SNAPSHOT_DIR = tmp_path / "search"
    accel.reset()
    try:
        make_work(make_user("alice"), title="Tides")
        viewer = make_user("reader")
        sql = service.work_search(viewer=viewer, f=_FilterWithANewField(pinned_only=True))
        assert [work.title for work in sql.page.object_list] == ["Tides"]
        assert accel._holder.accelerator is None
        fast = service.work_search(viewer=viewer, f=_FilterWithANewField())
        assert [work.title for work in fast.page.object_list] == ["Tides"]
        assert accel._holder.accelerator is not None
    finally:
        accel.reset()
