"""Listing queries use indexes, not full scans of the works: their plans, on both engines.

The SQL a listing runs is captured and EXPLAINed. The in-process accelerator is switched off:
it answers from arrays (built by one deliberate full read); these tests are about the SQL
backends, which answer every query the accelerator does not cover.
"""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polis.search.query import Range, Sort, WorkFilter
from polis.search.service import work_search
from tests.search.conftest import tag, words

pytestmark = pytest.mark.django_db

WATCHED = ("search_workdoc", "works_work")


@pytest.fixture(autouse=True)
def _sql_backend_only(settings):
    settings.POLIS_SEARCH_ACCEL = False


@pytest.fixture
def corpus(make_user, make_work, canonical):
    writer = make_user("writer")
    for n in range(30):
        make_work(
            writer,
            title=f"Work {n}",
            rating="Teen And Up Audiences" if n % 3 else "General Audiences",
            fandoms=["The 100 (TV)" if n % 2 else "Star Trek"],
            characters=["Lexa"] if n % 4 else [],
            freeforms=["Fluff"] + (["Angst"] if n % 5 == 0 else []),
            text=words(100 * n + 1),
        )
    canonical("The 100 (TV)", "Star Trek", "Lexa", "Fluff", "Angst")


def listing_sql(f: WorkFilter) -> list[str]:
    """The statements a listing page runs that read the index or the works."""
    with CaptureQueriesContext(connection) as captured:
        results = work_search(viewer=AnonymousUser(), f=f)
    assert results.total > 0  # the query found something, so every step ran
    statements = [query["sql"] for query in captured.captured_queries]
    return [sql for sql in statements if any(table in sql for table in WATCHED)]


def explain(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return [row[-1] for row in cursor.fetchall()]
        # With a handful of rows and no statistics PostgreSQL rightly prefers reading the
        # whole (one-page) table; switching sequential scans off shows whether an index
        # could serve the query at all, which is what matters at a million works.
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            cursor.execute(f"EXPLAIN {sql}")
            return [row[0] for row in cursor.fetchall()]
        finally:
            cursor.execute("SET LOCAL enable_seqscan = on")


def full_scans(lines: list[str]) -> list[str]:
    """The plan lines that read a whole table of works (walking an index is not one)."""
    if connection.vendor == "sqlite":
        scan = re.compile(r"^SCAN (d|d2|search_workdoc|works_work)\b")
        return [
            line
            for line in lines
            if scan.match(line) and not re.search(r"USING (COVERING )?INDEX", line)
        ]
    return [line for line in lines if re.search(r"Seq Scan on (search_workdoc|works_work)\b", line)]


def assert_indexed(f: WorkFilter) -> None:
    statements = listing_sql(f)
    assert len(statements) >= 3  # count, page, facets (and the works of the page)
    plans = {sql: explain(sql) for sql in statements}
    problems = {sql: lines for sql, lines in plans.items() if full_scans(lines)}
    assert not problems, "\n\n".join(
        f"{sql}\n--\n" + "\n".join(lines) for sql, lines in problems.items()
    )


def test_the_check_itself_sees_a_full_scan(corpus):
    lines = explain("SELECT d.work_id FROM search_workdoc d WHERE d.language = 'en'")

    assert full_scans(lines) != []  # no index on language: the check must say so


def test_a_single_tag_listing_uses_indexes(corpus):
    assert_indexed(WorkFilter(include_tags=[tag("Fluff").pk]))


def test_two_included_and_two_excluded_tags_use_indexes(corpus):
    assert_indexed(
        WorkFilter(
            include_tags=[tag("Fluff").pk, tag("Lexa").pk],
            exclude_tags=[tag("Angst").pk, tag("Star Trek").pk],
        )
    )


def test_rating_and_word_count_sorted_by_kudos_use_indexes(corpus):
    assert_indexed(
        WorkFilter(
            include_tags=[tag("Teen And Up Audiences").pk],
            words=Range(low=1000),
            sort=Sort.KUDOS,
        )
    )
