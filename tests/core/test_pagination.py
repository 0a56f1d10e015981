"""The one paginator: bad numbers read as page 1, pages past the end are empty (or the last
page when clamped), and a counted result pages like a list."""

import pytest

from polis.core.pagination import counted_page, page_number, page_of


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("3", 3),
        (" 2 ", 2),
        (None, 1),
        ("", 1),
        ("0", 1),
        ("-4", 1),
        ("2.5", 1),
        ("x", 1),
        ("٣", 1),
        ("9" * 19, 1),
        ("9" * 18, 10**18 - 1),
        (7, 7),
    ],
)
def test_page_number_reads_only_plain_positive_numbers(raw, number):
    assert page_number(raw) == number


def test_a_page_past_the_end_is_empty_but_knows_the_page_count():
    page = page_of(list(range(45)), 4, per_page=20)
    assert (list(page.object_list), page.number, page.paginator.num_pages) == ([], 4, 3)


def test_a_clamped_page_past_the_end_is_the_last_page():
    page = page_of(list(range(45)), 9, per_page=20, clamp=True)
    assert (list(page.object_list), page.number) == ([40, 41, 42, 43, 44], 3)


def test_an_empty_list_has_one_empty_first_page():
    page = page_of([], 1, per_page=20)
    assert (list(page.object_list), page.paginator.count, page.paginator.num_pages) == ([], 0, 1)


def test_a_counted_page_holds_the_rows_fetched_and_the_total():
    page = counted_page(["u", "v"], total=42, number=3, per_page=20)
    assert list(page.object_list) == ["u", "v"]
    assert (page.paginator.count, page.paginator.num_pages, page.has_next()) == (42, 3, False)
    assert (page.start_index(), page.end_index()) == (41, 42)
