"""The page of works similar to one work (polis.engagement.similar), for the viewer."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from polis.engagement.similar import RANKED, similar_enabled, similar_works
from polis.engagement.views.common import RestrictedWork, readable_work, restricted


def work_similar(request: HttpRequest, work_id: int) -> HttpResponse:
    try:
        work = readable_work(request, work_id)
    except RestrictedWork:
        return restricted(request)
    context = {
        "subject": work,
        "enabled": similar_enabled(request.user),
        "similar": similar_works(viewer=request.user, work=work, limit=RANKED),
    }
    return render(request, "engagement/similar.html", context)
