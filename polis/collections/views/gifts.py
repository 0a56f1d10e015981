"""Gift pages: a work's gifts (for its creators), a user's gifts received, refusing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from polis.accounts.access import access_user
from polis.collections import access
from polis.collections.actions import gifts as actions
from polis.collections.forms import GiftForm
from polis.collections.models import Gift
from polis.collections.views.common import apply_errors
from polis.works.access import access_work_for_edit, visible_works
from polis.works.models import Work
from polis.works.selectors import with_display_data


@login_required
def work_gifts(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work_for_edit(request.user, work_id)
    form = GiftForm(request.POST or None)
    if request.method == "POST" and "remove" in request.POST:
        gift = work.gifts.filter(pk=request.POST.get("remove")).first()
        if gift is not None:
            try:
                actions.gift_remove(actor=request.user, gift=gift)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        return redirect("collections:work_gifts", work_id=work.pk)
    if request.method == "POST" and form.is_valid():
        try:
            actions.gift_add(
                actor=request.user, work=work, recipient=form.cleaned_data["recipient"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Gift added.")
            return redirect("collections:work_gifts", work_id=work.pk)
    gifts = work.gifts.select_related("recipient")
    return render(
        request, "collections/work_gifts.html", {"work": work, "form": form, "gifts": gifts}
    )


def user_gifts(request: HttpRequest, username: str) -> HttpResponse:
    """Works given to a user that they did not refuse (refused ones only to themselves)."""
    user = access_user(username)
    own = request.user.is_authenticated and request.user.pk == user.pk
    gifts = Gift.objects.filter(recipient=user)
    if not own:
        gifts = gifts.filter(refused=False)
    works = visible_works(request.user)
    gifts = gifts.filter(work__in=works).select_related("work").order_by("-created_at")
    gifts = list(gifts)
    with_display_data_for(gifts)
    return render(
        request, "collections/user_gifts.html", {"profile_user": user, "gifts": gifts, "own": own}
    )


def with_display_data_for(gifts: list[Gift]):
    works = {w.pk: w for w in with_display_data(visible_works_for(gifts))}
    for gift in gifts:
        gift.work = works.get(gift.work_id, gift.work)
    return [gift.work for gift in gifts]


def visible_works_for(gifts: list[Gift]):
    return Work.objects.filter(pk__in=[gift.work_id for gift in gifts])


@login_required
@require_POST
def gift_refuse(request: HttpRequest, gift_id: int) -> HttpResponse:
    gift = access.access_gift_for_recipient(request.user, gift_id)
    actions.gift_refuse(actor=request.user, gift=gift)
    messages.success(request, "You refused the gift; it no longer shows as yours.")
    return redirect("collections:user_gifts", username=request.user.username)
