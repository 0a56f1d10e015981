"""Reading pages: home, work listings, the work page, chapters, the chapter index."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from polis.accounts.reading import reading_for
from polis.search.service import home_works
from polis.search.views import listing
from polis.works.access import (
    RestrictedWork,
    access_chapter_for_view,
    access_work_for_view,
    is_creator,
    is_invited_creator,
    visible_chapters,
)
from polis.works.events import work_viewed
from polis.works.models import Work
from polis.works.selectors import add_display_data

ADULT_SESSION_KEY = "adult_ok"


def home(request: HttpRequest) -> HttpResponse:
    # Through the search service, so the reader's blocklist applies here too.
    return render(request, "works/home.html", {"works": home_works(viewer=request.user)})


def work_index(request: HttpRequest) -> HttpResponse:
    return listing(request, template="search/listing.html", context={"listing_title": "Works"})


def _restricted(request: HttpRequest) -> HttpResponse:
    return render(request, "works/restricted.html", {"next": request.get_full_path()})


def _needs_adult_caution(request: HttpRequest, work: Work, creator: bool) -> bool:
    if not work.is_adult or creator:
        return False
    if request.GET.get("view_adult") == "true":
        request.session[ADULT_SESSION_KEY] = True
        return False
    if request.session.get(ADULT_SESSION_KEY):
        return False
    return not (request.user.is_authenticated and request.user.view_adult)


def _read(request: HttpRequest, work_id: int, chapter_id: int | None) -> HttpResponse:
    try:
        work = access_work_for_view(request.user, work_id)
    except RestrictedWork:
        return _restricted(request)
    work = add_display_data(work)
    creator = is_creator(request.user, work)
    chapters = list(visible_chapters(request.user, work))
    if "view_full_work" in request.GET:
        full = request.GET["view_full_work"] == "true"
    else:  # the reader's preference; `?view_full_work=false` shows one chapter anyway
        full = reading_for(request).view_full_work
    full = full or len(chapters) == 1
    if chapter_id is not None:
        current = access_chapter_for_view(request.user, work, chapter_id)
        full = False
    else:
        current = chapters[0] if chapters else None
    context = {
        "work": work,
        "chapters": chapters,
        "is_creator": creator,
        "is_invited": is_invited_creator(request.user, work),
        "full": full,
        "shown": chapters if full else [current] if current else [],
        "current": current,
        "multi": len(chapters) > 1,
    }
    if current is not None and not full:
        index = next(i for i, c in enumerate(chapters) if c.pk == current.pk)
        context["previous"] = chapters[index - 1] if index > 0 else None
        context["next"] = chapters[index + 1] if index + 1 < len(chapters) else None
    if _needs_adult_caution(request, work, creator):
        return render(request, "works/adult.html", context)
    # Hits and reading history: engagement listens (see polis.works.events).
    work_viewed(request, work, chapter=None if full else current, creator=creator)
    return render(request, "works/show.html", context)


def work_show(request: HttpRequest, work_id: int) -> HttpResponse:
    return _read(request, work_id, None)


def chapter_show(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    return _read(request, work_id, chapter_id)


def work_navigate(request: HttpRequest, work_id: int) -> HttpResponse:
    try:
        work = access_work_for_view(request.user, work_id)
    except RestrictedWork:
        return _restricted(request)
    chapters = visible_chapters(request.user, work)
    return render(request, "works/navigate.html", {"work": work, "chapters": chapters})
