"""Gift-exchange pages: the moderators' matching page and the participant's assignment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from polis.accounts.models import User
from polis.collections import access, selectors
from polis.collections.actions import assignments as actions
from polis.collections.actions.matching import assignments_generate, matching_start
from polis.collections.forms import WorkChoiceForm
from polis.collections.matching import assignment_from_pairs
from polis.collections.models import Assignment, Signup
from polis.collections.views.challenges import own_works
from polis.collections.views.common import flash_refusal


def _exchange(request: HttpRequest, name: str, *, maintainer: bool):
    collection = (
        access.access_collection_for_edit(request.user, name)
        if maintainer
        else access.access_collection(request.user, name)
    )
    return collection, access.access_challenge(request.user, collection)


@login_required
def matching_page(request: HttpRequest, name: str) -> HttpResponse:
    collection, challenge = _exchange(request, name, maintainer=True)
    assignments = list(
        Assignment.objects.filter(challenge=challenge)
        .select_related("recipient__user", "giver__user", "pinch_hitter", "work")
        .order_by("recipient__user__username")
    )
    counts = selectors.giver_counts(challenge)
    for a in assignments:
        a.potential_givers = counts.get(a.recipient_id, 0)
    pairs = {a.recipient_id: (a.giver_id, a.score) for a in assignments if a.giver_id}
    mutual = {pk for pair in assignment_from_pairs(pairs, [], []).mutual_pairs for pk in pair}
    givers_used = {a.giver_id for a in assignments if a.giver_id and not a.defaulted_at}
    signups = (
        Signup.objects.filter(challenge=challenge).select_related("user").order_by("user__username")
    )
    return render(
        request,
        "collections/matching.html",
        {
            "collection": collection,
            "challenge": challenge,
            "assignments": assignments,
            "unmatched": actions.unmatched(challenge),
            "idle": [s for s in signups if s.pk not in givers_used],
            "mutual": mutual,
            "signups": signups,
            "refresh": challenge.matching_status in ("queued", "running"),
        },
    )


@login_required
def potential_givers(request: HttpRequest, name: str, signup_id: int) -> HttpResponse:
    """Moderators: one recipient's best potential givers, to pick one by hand."""
    collection, challenge = _exchange(request, name, maintainer=True)
    recipient = get_object_or_404(
        Signup.objects.select_related("user"), challenge=challenge, pk=signup_id
    )
    givers, total = selectors.potential_givers_of(challenge, recipient)
    assignment = Assignment.objects.filter(challenge=challenge, recipient=recipient).first()
    return render(
        request,
        "collections/potential_givers.html",
        {
            "collection": collection,
            "challenge": challenge,
            "recipient": recipient,
            "givers": givers,
            "total": total,
            "assignment": assignment,
        },
    )


@login_required
@require_POST
def matching_action(request: HttpRequest, name: str) -> HttpResponse:
    """One POST endpoint for the page's buttons (each names an action)."""
    collection, challenge = _exchange(request, name, maintainer=True)
    step = request.POST.get("step")
    try:
        if step == "matches":
            matching_start(actor=request.user, challenge=challenge)
            messages.success(request, "Potential matches are being generated.")
        elif step == "assignments":
            result = assignments_generate(actor=request.user, challenge=challenge)
            messages.success(
                request,
                f"Assignments generated: {len(result.pairs)} matched, "
                f"{len(result.unmatched_recipients)} without a giver (listed below).",
            )
        elif step == "send":
            count = actions.assignments_send(actor=request.user, challenge=challenge)
            messages.success(request, f"{count} assignments were sent.")
        else:
            assignment = access.access_assignment_for_moderation(
                request.user, challenge, int(request.POST.get("assignment", 0))
            )
            _assignment_step(request, challenge, assignment, step)
    except ValidationError as error:
        flash_refusal(request, error)
    return redirect("collections:matching", name=collection.name)


def _assignment_step(request, challenge, assignment: Assignment, step: str | None) -> None:
    if step == "giver":
        raw = request.POST.get("giver", "")
        giver = (
            Signup.objects.filter(challenge=challenge, pk=raw).first() if raw.isdigit() else None
        )
        actions.assignment_set_giver(actor=request.user, assignment=assignment, giver=giver)
        messages.success(request, "The assignment was changed.")
    elif step == "regenerate":
        actions.assignment_regenerate(actor=request.user, assignment=assignment)
        messages.success(request, "A giver was found.")
    elif step == "default":
        actions.assignment_default(actor=request.user, assignment=assignment)
        messages.success(request, "The assignment was marked as defaulted.")
    elif step == "pinch_hit":
        user = User.objects.filter(username__iexact=request.POST.get("username", "")).first()
        if user is None:
            raise ValidationError("There is no user with that name.")
        actions.assignment_pinch_hit(actor=request.user, assignment=assignment, user=user)
        messages.success(request, f"{user.username} will pinch-hit.")
    else:
        raise ValidationError("Unknown step.")


@login_required
def my_assignments(request: HttpRequest, name: str) -> HttpResponse:
    collection, challenge = _exchange(request, name, maintainer=False)
    assignments = list(access.own_assignments(request.user, challenge))
    for assignment in assignments:
        assignment.requests = list(
            assignment.recipient.prompts.filter(kind="request").prefetch_related("tags")
        )
    form = WorkChoiceForm(works=own_works(request.user))
    return render(
        request,
        "collections/my_assignments.html",
        {
            "collection": collection,
            "challenge": challenge,
            "assignments": assignments,
            "form": form,
        },
    )


@login_required
@require_POST
def assignment_fulfil(request: HttpRequest, name: str, assignment_id: int) -> HttpResponse:
    collection, challenge = _exchange(request, name, maintainer=False)
    assignment = access.access_own_assignment(request.user, challenge, assignment_id)
    if request.POST.get("step") == "default":
        actions.assignment_default(actor=request.user, assignment=assignment)
        messages.success(request, "You defaulted; the moderators will find a pinch hitter.")
        return redirect("collections:assignments", name=name)
    form = WorkChoiceForm(request.POST, works=own_works(request.user))
    if not form.is_valid():
        messages.error(request, "Choose one of your works.")
    else:
        try:
            actions.assignment_fulfil(
                actor=request.user, assignment=assignment, work=form.cleaned_data["work"]
            )
        except ValidationError as error:
            flash_refusal(request, error)
        else:
            messages.success(request, "Your gift was posted to the exchange.")
    return redirect("collections:assignments", name=name)
