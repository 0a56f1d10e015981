"""`/media`, `/media/<media>/fandoms` and `/languages`: the indexes readers browse by."""

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from polis.search.indexes import language_counts, media_fandoms, media_index
from polis.tags.access import access_media


def media_page(request: HttpRequest) -> HttpResponse:
    return render(request, "search/media.html", {"media": media_index(request.user)})


def media_fandoms_page(request: HttpRequest, name: str) -> HttpResponse:
    media = access_media(request.user, name)
    fandoms = media_fandoms(request.user, media)
    letters = [
        (letter, list(group)) for letter, group in groupby(fandoms, key=lambda f: _letter(f.name))
    ]
    return render(
        request,
        "search/media_fandoms.html",
        {"media": media, "letters": letters, "total": len(fandoms)},
    )


def languages_page(request: HttpRequest) -> HttpResponse:
    return render(request, "search/languages.html", {"languages": language_counts(request.user)})


def _letter(name: str) -> str:
    first = name[:1].upper()
    return first if first.isalpha() else "#"
