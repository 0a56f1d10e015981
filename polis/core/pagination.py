"""Page-number pagination that never errors: bad or out-of-range numbers give a clear page."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(request: HttpRequest, items: QuerySet, *, per_page: int = 20) -> Page:
    paginator = Paginator(items, per_page, allow_empty_first_page=True)
    raw = request.GET.get("page", "1")
    try:
        number = int(raw)
    except ValueError:
        number = 1
    number = max(number, 1)
    if number > paginator.num_pages:
        # Past the end: an empty page that still says how many pages there are.
        return Page([], number, paginator)
    return paginator.page(number)
