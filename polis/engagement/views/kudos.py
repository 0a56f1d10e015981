"""Leaving kudos from the work page (a plain form: works without JavaScript)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from polis.engagement.identity import guest_key
from polis.engagement.kudos import kudos_give
from polis.engagement.refusals import Refused
from polis.engagement.views.common import RestrictedWork, readable_work, refused, restricted
from polis.works.access import access_chapter_for_view


@require_POST
def kudos_create(request: HttpRequest, work_id: int) -> HttpResponse:
    try:
        work = readable_work(request, work_id)
    except RestrictedWork:
        return restricted(request)
    chapter = None
    raw_chapter = request.POST.get("chapter_id", "")
    if raw_chapter:
        try:
            chapter = access_chapter_for_view(request.user, work, int(raw_chapter))
        except ValueError:
            raise Http404("No such chapter.") from None
    back = chapter.get_absolute_url() if chapter else work.get_absolute_url()
    try:
        _, created = kudos_give(
            actor=request.user, work=work, chapter=chapter, guest_key=guest_key(request)
        )
    except Refused as error:
        return refused(request, str(error), back=back)
    except ValidationError as error:
        return refused(request, " ".join(error.messages), status=400, back=back)
    if created:
        messages.success(request, "Thank you for leaving kudos!")
    else:
        messages.info(request, "You have already left kudos here. :)")
    return redirect(f"{back}#kudos")
