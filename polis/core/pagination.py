"""The one paginator: page-number pages that never error, for web pages, the API and listings.

Bad page numbers read as page 1. A page past the end is empty but still knows how many pages
there are (or, with `clamp`, is the last page: comment threads, where a link may outlive
deleted comments). A listing whose engine counted its matches and fetched one page of them
(`counted_page`) gets the same `Page` as a queryset does.
"""

from collections.abc import Sequence

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

# Longer numbers than this are not a page anyone asked for (and overflow an OFFSET).
_MAX_DIGITS = 18


def page_number(raw: object) -> int:
    """A requested page: anything but a plain positive number is page 1."""
    text = str(raw if raw is not None else "1").strip()
    if text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS:
        return max(int(text), 1)
    return 1


def page_of(items: Sequence, number: int, *, per_page: int, clamp: bool = False) -> Page:
    """One page of a queryset or list (counted once, sliced once)."""
    paginator = Paginator(items, per_page, allow_empty_first_page=True)
    number = max(number, 1)
    if number > paginator.num_pages:
        if clamp:
            return paginator.page(paginator.num_pages)
        # Past the end: an empty page that still says how many pages there are.
        return Page([], number, paginator)
    return paginator.page(number)


def paginate(request: HttpRequest, items: Sequence, *, per_page: int = 20) -> Page:
    """The page `?page=` asks for."""
    return page_of(items, page_number(request.GET.get("page")), per_page=per_page)


class _Counted:
    """A result known only by its size and the one page already fetched."""

    def __init__(self, total: int, rows: list):
        self.total, self.rows = total, rows

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, item: slice) -> list:
        return self.rows


def counted_page(rows: list, *, total: int, number: int, per_page: int) -> Page:
    """The page `number` whose rows the caller fetched itself, out of `total` matches."""
    paginator = Paginator(_Counted(total, rows), per_page, allow_empty_first_page=True)
    return Page(rows, max(number, 1), paginator)
