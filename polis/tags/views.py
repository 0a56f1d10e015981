"""Tag pages: what a tag is, and the works that carry it."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from polis.search.views import listing
from polis.tags.access import access_tag


def tag_show(request: HttpRequest, name: str) -> HttpResponse:
    tag = access_tag(name)
    synonyms = tag.synonyms.order_by("name") if tag.canonical else []
    return render(request, "tags/show.html", {"tag": tag, "synonyms": synonyms})


def tag_works(request: HttpRequest, name: str) -> HttpResponse:
    tag = access_tag(name)
    if tag.merger_id:
        query = request.GET.urlencode()
        return redirect(tag.merger.get_works_url() + (f"?{query}" if query else ""))
    # Canonical tags list their filter set (synonyms and sub tags included); others as typed.
    scope = {"include_tags": [tag.pk]} if tag.canonical else {"direct_tags": [tag.pk]}
    context = {
        "listing_title": f"{tag.name} - Works",
        "listing_heading_suffix": "in",
        "listing_tag": tag,
        "tag": tag,
    }
    return listing(request, template="search/listing.html", context=context, **scope)
