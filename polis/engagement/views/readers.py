"""A reader's own lists: history, Marked for Later, subscriptions; a creator's statistics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from polis.accounts.access import access_own_user, access_user
from polis.accounts.models import User
from polis.core.pagination import paginate
from polis.engagement import reading, stats, subscriptions
from polis.engagement.access import access_subscription
from polis.engagement.models import SubscriptionType
from polis.engagement.views.common import RestrictedWork, readable_work, restricted, safe_next
from polis.works.series import access_series_for_view

PER_PAGE = 20


@login_required
def readings(request: HttpRequest, username: str) -> HttpResponse:
    user = access_own_user(request.user, username)
    later = request.GET.get("show") == "to-read"
    items = reading.marked_for_later(user) if later else reading.history_of(user)
    page = paginate(request, items, per_page=PER_PAGE)
    context = {
        "profile_user": user,
        "page": page,
        "later": later,
        "query": "show=to-read" if later else "",
    }
    return render(request, "engagement/readings.html", context)


@login_required
@require_POST
def readings_clear(request: HttpRequest, username: str) -> HttpResponse:
    user = access_own_user(request.user, username)
    reading.history_clear(actor=user)
    messages.success(request, "Your history is now cleared.")
    return redirect("engagement:readings", username=user.username)


@login_required
@require_POST
def readings_settings(request: HttpRequest, username: str) -> HttpResponse:
    user = access_own_user(request.user, username)
    enabled = request.POST.get("enabled") == "1"
    reading.history_set_enabled(actor=user, enabled=enabled)
    messages.success(
        request,
        "Your history is on again." if enabled else "Your history is off, and was deleted.",
    )
    return redirect("engagement:readings", username=user.username)


@login_required
@require_POST
def mark_for_later(request: HttpRequest, work_id: int) -> HttpResponse:
    try:
        work = readable_work(request, work_id)
    except RestrictedWork:
        return restricted(request)
    later = request.POST.get("later", "1") == "1"
    reading.reading_mark_for_later(actor=request.user, work=work, later=later)
    messages.success(
        request,
        "This work was added to your Marked for Later list."
        if later
        else "This work was removed from your Marked for Later list.",
    )
    return redirect(safe_next(request, work.get_absolute_url()))


@login_required
@require_POST
def reading_delete(request: HttpRequest, work_id: int) -> HttpResponse:
    try:
        work = readable_work(request, work_id)
    except RestrictedWork:
        return restricted(request)
    reading.reading_delete(actor=request.user, work=work)
    messages.success(request, "Work deleted from your history.")
    return redirect(
        safe_next(request, reverse("engagement:readings", args=[request.user.username]))
    )


def _target(request: HttpRequest, kind: str, raw_id: str):
    try:
        if kind == SubscriptionType.USER:
            return access_user(raw_id) if not raw_id.isdigit() else _user_by_id(int(raw_id))
        if kind == SubscriptionType.WORK:
            return readable_work(request, int(raw_id))
        if kind == SubscriptionType.SERIES:
            return access_series_for_view(request.user, int(raw_id))
    except ValueError:
        pass
    raise Http404("Nothing to subscribe to.")


def _user_by_id(user_id: int) -> User:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise Http404("No such user.")
    return user


@login_required
@require_POST
def subscription_create(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("type", "")
    try:
        target = _target(request, kind, request.POST.get("id", "").strip())
    except RestrictedWork:
        raise Http404("No such work.") from None
    back = safe_next(request, target.get_absolute_url())
    try:
        _, created = subscriptions.subscription_create(actor=request.user, target=target)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    name = getattr(target, "title", None) or getattr(target, "username", "")
    messages.success(
        request,
        f"You are now subscribed to {name}."
        if created
        else f"You were already subscribed to {name}.",
    )
    return redirect(back)


@login_required
@require_POST
def subscription_delete(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = access_subscription(request.user, subscription_id)
    subscriptions.subscription_delete(actor=request.user, subscription=subscription)
    messages.success(request, "You have unsubscribed.")
    return redirect(
        safe_next(request, reverse("engagement:subscriptions", args=[request.user.username]))
    )


@login_required
def subscription_index(request: HttpRequest, username: str) -> HttpResponse:
    user = access_own_user(request.user, username)
    kind = request.GET.get("type", "")
    items = subscriptions.subscriptions_of(user)
    if kind in SubscriptionType.values:
        items = items.filter(type=kind)
    page = paginate(request, items, per_page=PER_PAGE)
    context = {
        "profile_user": user,
        "page": page,
        "kind": kind,
        "query": f"type={kind}" if kind else "",
    }
    return render(request, "engagement/subscriptions.html", context)


@login_required
def stats_page(request: HttpRequest, username: str) -> HttpResponse:
    user = access_own_user(request.user, username)
    sort = request.GET.get("sort", "hits")
    if sort not in stats.SORTS:
        sort = "hits"
    default_desc = sort not in {"title"}
    direction = request.GET.get("direction", "desc" if default_desc else "asc")
    works = list(stats.work_stats(user, sort=sort, descending=direction != "asc"))
    columns = [
        {
            "key": key,
            "label": label,
            "current": key == sort,
            "direction": "asc" if key == sort and direction == "desc" else "desc",
        }
        for key, label in stats.SORT_LABELS.items()
    ]
    context = {
        "profile_user": user,
        "works": works,
        "totals": stats.totals(works),
        "columns": columns,
        "sort": sort,
        "direction": direction,
    }
    return render(request, "engagement/stats.html", context)
