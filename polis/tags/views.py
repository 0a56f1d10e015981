"""Tag pages: what a tag is and its works; wrangling (edit, unwrangled bins); finding tags."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from polis.core.pagination import paginate
from polis.core.ratelimit import client_key, hit, parse_rate
from polis.search.service import tag_scope
from polis.search.views import listing
from polis.tags.access import access_tag
from polis.tags.forms import (
    BinBulkForm,
    BinFilterForm,
    TagChangeRefused,
    TagEditForm,
    tag_changes_apply,
)
from polis.tags.models import Tag, TagType
from polis.tags.names import tag_to_url
from polis.tags.selectors import (
    CHILDREN_SHOWN,
    tag_autocomplete,
    tag_latest_works,
    tag_named,
    tag_relations,
    unwrangled_tags,
)
from polis.tags.wrangling import (
    WRANGLING_OFF,
    can_wrangle,
    tags_bulk_wrangle,
    wrangling_paused_for,
)

BIN_PAGE_SIZE = 50


def wrangler_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Guests are sent to log in; logged-in users who are not wranglers get 403; while staff
    have turned wrangling off, wranglers get a page saying so (503)."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not can_wrangle(request.user):
            raise PermissionDenied("Only tag wranglers can do this.")
        if wrangling_paused_for(request.user):
            context = {"message": WRANGLING_OFF}
            return render(request, "tags/wrangling_off.html", context, status=503)
        return view(request, *args, **kwargs)

    return wrapped


def _edit_url(tag: Tag) -> str:
    return reverse("tags:edit", kwargs={"name": tag_to_url(tag.name)})


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def tag_show(request: HttpRequest, name: str) -> HttpResponse:
    tag = access_tag(request.user, name)
    all_children = request.GET.get("children") == "all"
    relations = tag_relations(
        tag, viewer=request.user, children_limit=None if all_children else CHILDREN_SHOWN
    )
    works = tag_latest_works(viewer=request.user, tag=tag)
    context = {
        "tag": tag,
        "relations": relations,
        "synonyms": relations.synonyms,
        "works": works.page,
        "works_total": works.total,
        "can_wrangle": can_wrangle(request.user),
        "edit_url": _edit_url(tag),
    }
    return render(request, "tags/show.html", context)


def tag_works(request: HttpRequest, name: str) -> HttpResponse:
    tag = access_tag(request.user, name)
    if tag.merger_id:
        query = request.GET.urlencode()
        return redirect(tag.merger.get_works_url() + (f"?{query}" if query else ""))
    scope = tag_scope(tag)
    context = {
        "listing_title": f"{tag.name} - Works",
        "listing_heading_suffix": "in",
        "listing_tag": tag,
        "tag": tag,
    }
    return listing(request, template="search/listing.html", context=context, **scope)


@wrangler_required
def tag_edit(request: HttpRequest, name: str) -> HttpResponse:
    tag = access_tag(request.user, name)
    form = TagEditForm(request.POST or None, tag=tag)
    if request.method == "POST" and form.is_valid():
        try:
            tag = tag_changes_apply(actor=request.user, tag=tag, changes=form.changes())
        except TagChangeRefused as refusal:
            form.refused(refusal)
        else:
            messages.success(request, "Tag was updated.")
            return redirect(tag)
    return render(request, "tags/edit.html", {"tag": tag, "form": form})


@wrangler_required
def tags_unwrangled(request: HttpRequest) -> HttpResponse:
    """`/tags/unwrangled`: one bin (a type, within a fandom) and bulk actions on its tags."""
    data = request.GET.copy()
    data.setdefault("tag_type", TagType.CHARACTER)
    filters = BinFilterForm(data)
    bulk = BinBulkForm(request.POST or None)
    refusals = []
    if request.method == "POST" and bulk.is_valid():
        refusals = tags_bulk_wrangle(
            actor=request.user,
            tags=list(bulk.cleaned_data["tags"]),
            action=bulk.cleaned_data["action"],
            target=bulk.cleaned_data.get("target"),
        )
        if not refusals:
            count = len(bulk.cleaned_data["tags"])
            messages.success(request, f"{count} tag{'s' if count != 1 else ''} wrangled.")
            return redirect(request.get_full_path())
    if filters.is_valid():
        tag_type, fandom = filters.cleaned_data["tag_type"], filters.cleaned_data["fandom"]
        tags = unwrangled_tags(tag_type=tag_type, fandom=fandom)
    else:
        tag_type, fandom = data.get("tag_type"), None
        tags = Tag.objects.none()
    context = {
        "filters": filters,
        "bulk": bulk,
        "refusals": refusals,
        "tag_type": tag_type,
        "fandom": fandom,
        "page": paginate(request, tags, per_page=BIN_PAGE_SIZE),
        "checked": set(request.POST.getlist("tags")),
        "query": _query_without_page(request),
    }
    return render(request, "tags/unwrangled.html", context)


def tags_autocomplete(request: HttpRequest) -> JsonResponse:
    """`/autocomplete/tags?term=cla&type=fandom[&fandom=NAME]`: up to 15 tags, as JSON."""
    rate = settings.POLIS_AUTOCOMPLETE_RATE
    limit, window = parse_rate(rate)
    wait = hit(f"autocomplete:{client_key(request)}", limit=limit, window=window)
    if wait is not None:
        response = JsonResponse({"detail": "Too many requests; try again shortly."}, status=429)
        response["Retry-After"] = str(wait)
        return response
    tag_type = request.GET.get("type") or None
    if tag_type is not None and tag_type not in TagType.values:
        return JsonResponse({"detail": f"Unknown tag type “{tag_type[:40]}”."}, status=400)
    fandom = tag_named(request.GET.get("fandom", "")[:150], viewer=request.user)
    if fandom is not None and fandom.merger_id:
        fandom = fandom.merger
    if fandom is not None and fandom.type != TagType.FANDOM:
        fandom = None
    tags = tag_autocomplete(
        viewer=request.user,
        term=request.GET.get("term", "")[:150],
        tag_type=tag_type,
        fandom=fandom,
    )
    response = JsonResponse(
        [{"name": tag.name, "type": tag.type, "canonical": tag.canonical} for tag in tags],
        safe=False,
    )
    response["Cache-Control"] = "max-age=60"
    return response
