"""A collection's works page: the tag pages' filters and sidebar, scoped to the collection.

`polis.search.views.listing` has no collection scope yet, so this runs the same parsing and
SQL backends with one more condition (approved items of this collection and its
sub-collections), leaves out unrevealed works, and shows anonymous works as "Anonymous".
When `listing()` gains a scope parameter, this module shrinks to one call.
"""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from polis.collections.models import Collection
from polis.search.backends.sql import get_backend
from polis.search.params import BadSearch, parse_search
from polis.search.service import MAX_PAGE, _facets, viewer_filter
from polis.search.views import _page_number, _sidebar_context
from polis.works.models import Work
from polis.works.selectors import with_display_data

PER_PAGE = 20


def scope_sql(collection: Collection) -> tuple[str, list]:
    """Works approved on both sides in the collection or its children (unrevealed works are
    never in the index, so never listed)."""
    return (
        "d.work_id IN (SELECT ci.work_id FROM collections_collectionitem ci"
        " JOIN collections_collection cc ON cc.id = ci.collection_id"
        " WHERE (cc.id = %s OR cc.parent_id = %s)"
        " AND ci.creator_status = 'approved' AND ci.collection_status = 'approved')",
        [collection.pk, collection.pk],
    )


def _scoped_backend(collection: Collection):
    base = type(get_backend())
    condition, params = scope_sql(collection)

    class Scoped(base):
        def build(self, f, *, ranked: bool = False):
            sql = super().build(f, ranked=ranked)
            sql.where.append(condition)
            sql.params.extend(params)
            return sql

    return Scoped()


class _Counted:
    def __init__(self, total: int, works: list[Work]):
        self.total, self.works = total, works

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, item):
        return self.works


def collection_works(
    request: HttpRequest, *, collection: Collection, template: str, context: dict
) -> HttpResponse:
    try:
        parsed = parse_search(request.GET, include_restricted=request.user.is_authenticated)
    except BadSearch as error:
        context = {**context, "search_error": str(error), "page": None, "facets": []}
        return render(request, template, _sidebar_context(request, None, context), status=400)
    f = viewer_filter(request.user, parsed.filter)
    backend = _scoped_backend(collection)
    number = _page_number(request)
    offset = (min(number, MAX_PAGE + 1) - 1) * PER_PAGE
    ids, total = backend.search(f, offset=offset, limit=PER_PAGE)
    rows = backend.facets(f) if total else []
    by_id = {w.pk: w for w in with_display_data(Work.objects.filter(pk__in=ids))}
    works = [by_id[i] for i in ids if i in by_id]
    paginator = Paginator(_Counted(total, works), PER_PAGE, allow_empty_first_page=True)
    context = {
        **context,
        "page": Page(works, number, paginator),
        "facets": _facets(rows) if total else [],
        "notices": parsed.notices,
    }
    return render(request, template, _sidebar_context(request, parsed, context))
