"""Tag pages: what a tag is, and the works that carry it."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from polis.core.pagination import paginate
from polis.tags.access import access_tag
from polis.works.selectors import works_tagged


def tag_show(request: HttpRequest, name: str) -> HttpResponse:
    tag = access_tag(name)
    synonyms = tag.synonyms.order_by("name") if tag.canonical else []
    return render(request, "tags/show.html", {"tag": tag, "synonyms": synonyms})


def tag_works(request: HttpRequest, name: str) -> HttpResponse:
    tag = access_tag(name)
    if tag.merger_id:
        return redirect(tag.merger.get_works_url())
    tag_ids = [tag.pk, *tag.synonyms.values_list("pk", flat=True)]
    page = paginate(request, works_tagged(viewer=request.user, tag_ids=tag_ids))
    return render(request, "tags/works.html", {"tag": tag, "page": page})
