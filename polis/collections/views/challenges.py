"""Challenge pages: setup, sign-ups, and the prompt meme's prompts, claims and fills."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from polis.accounts.standing import AccountRestricted
from polis.collections import access
from polis.collections.actions import prompts as prompt_actions
from polis.collections.actions import signups as signup_actions
from polis.collections.actions.challenges import challenge_setup
from polis.collections.forms import ChallengeForm, SignupForm, WorkChoiceForm
from polis.collections.models import Challenge, Claim, Prompt, Signup
from polis.collections.views.common import apply_errors, flash_refusal
from polis.core.pagination import paginate
from polis.works.access import drafts_of, visible_works
from polis.works.models import Creatorship, Work
from polis.works.selectors import with_display_data


def own_works(user) -> "list[Work]":
    mine = Creatorship.objects.filter(pseud__user=user, accepted=True).values("work_id")
    return (visible_works(user).filter(pk__in=mine) | drafts_of(user)).order_by("-pk")


@login_required
def challenge_edit(request: HttpRequest, name: str) -> HttpResponse:
    collection = access.access_collection_for_edit(request.user, name)
    challenge = Challenge.objects.filter(collection=collection).first()
    initial = ChallengeForm.initial_for(challenge) if challenge else {}
    form = ChallengeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            challenge_setup(actor=request.user, collection=collection, data=form.challenge_input())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Challenge settings were saved.")
            return redirect(collection)
    return render(
        request,
        "collections/challenge_form.html",
        {
            "form": form,
            "collection": collection,
            "heading": f"Challenge settings: {collection.title}",
        },
    )


@login_required
def signup_form(request: HttpRequest, name: str) -> HttpResponse:
    """Sign up, or edit one's sign-up (the same form, filled in)."""
    collection = access.access_collection(request.user, name)
    challenge = access.access_challenge(request.user, collection)
    signup = access.own_signup(request.user, challenge)
    initial = SignupForm.initial_for(signup) if signup else {}
    form = SignupForm(request.POST or None, challenge=challenge, user=request.user, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            if signup is None:
                signup = signup_actions.signup_create(
                    actor=request.user, challenge=challenge, data=form.signup_input()
                )
            else:
                signup_actions.signup_update(
                    actor=request.user, signup=signup, data=form.signup_input()
                )
        except AccountRestricted as error:
            form.add_error(None, str(error))
            status = 403
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Your sign-up was saved.")
            return redirect("collections:signup", name=name)
    return render(
        request,
        "collections/signup_form.html",
        {"form": form, "collection": collection, "challenge": challenge, "signup": signup},
        status=status,
    )


@login_required
@require_POST
def signup_delete(request: HttpRequest, name: str) -> HttpResponse:
    collection = access.access_collection(request.user, name)
    challenge = access.access_challenge(request.user, collection)
    signup = access.access_own_signup(request.user, challenge)
    try:
        signup_actions.signup_delete(actor=request.user, signup=signup)
    except ValidationError as error:
        flash_refusal(request, error)
        return redirect("collections:signup", name=name)
    messages.success(request, "Your sign-up was deleted.")
    return redirect(collection)


@login_required
def signup_list(request: HttpRequest, name: str) -> HttpResponse:
    collection = access.access_collection_for_edit(request.user, name)
    challenge = access.access_challenge(request.user, collection)
    signups = Signup.objects.filter(challenge=challenge).select_related("user", "pseud")
    signups = signups.prefetch_related(Prefetch("prompts", Prompt.objects.prefetch_related("tags")))
    return render(
        request,
        "collections/signups.html",
        {"collection": collection, "challenge": challenge, "page": paginate(request, signups)},
    )


def prompt_list(request: HttpRequest, name: str) -> HttpResponse:
    """Prompts, filterable by tag (`?tag=NAME`); gift exchanges show these to maintainers."""
    collection = access.access_collection(request.user, name)
    challenge = access.access_challenge(request.user, collection)
    prompts = access.visible_prompts(request.user, challenge).filter(kind="request")
    tag = None
    if request.GET.get("tag"):
        tag = access.access_prompt_tag(request.user, prompts, request.GET["tag"])
        prompts = prompts.filter(tags=tag)
    prompts = (
        prompts.select_related("signup__user", "signup__pseud")
        .prefetch_related("tags", "claims")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "collections/prompts.html",
        {
            "collection": collection,
            "challenge": challenge,
            "page": paginate(request, prompts),
            "tag": tag,
            "query": urlencode({"tag": tag.name}) if tag else "",
            "maintainer": access.is_maintainer(request.user, collection),
        },
    )


def prompt_show(request: HttpRequest, name: str, prompt_id: int) -> HttpResponse:
    collection = access.access_collection(request.user, name)
    challenge = access.access_challenge(request.user, collection)
    prompt = access.access_prompt(request.user, challenge, prompt_id)
    fills = visible_works(request.user).filter(fills__prompt=prompt)
    fills = with_display_data(fills).distinct()
    claim = (
        Claim.objects.filter(prompt=prompt, user=request.user).first()
        if request.user.is_authenticated
        else None
    )
    form = WorkChoiceForm(works=own_works(request.user)) if claim else None
    return render(
        request,
        "collections/prompt.html",
        {
            "collection": collection,
            "challenge": challenge,
            "prompt": prompt,
            "fills": fills,
            "claims": prompt.claims.select_related("user"),
            "claim": claim,
            "fill_form": form,
            "can_delete": access.can_delete_prompt(request.user, prompt),
        },
    )


@login_required
@require_POST
def prompt_claim(request: HttpRequest, name: str, prompt_id: int) -> HttpResponse:
    collection = access.access_collection(request.user, name)
    challenge = access.access_challenge(request.user, collection)
    prompt = access.access_prompt(request.user, challenge, prompt_id)
    try:
        prompt_actions.prompt_claim(actor=request.user, prompt=prompt)
    except AccountRestricted as error:
        messages.error(request, str(error))
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, "You claimed this prompt.")
    return redirect(prompt)


@login_required
@require_POST
def prompt_fill(request: HttpRequest, name: str, prompt_id: int) -> HttpResponse:
    collection = access.access_collection(request.user, name)
    challenge = access.access_challenge(request.user, collection)
    prompt = access.access_prompt(request.user, challenge, prompt_id)
    form = WorkChoiceForm(request.POST, works=own_works(request.user))
    if not form.is_valid():
        messages.error(request, "Choose one of your works to fill this prompt.")
        return redirect(prompt)
    try:
        prompt_actions.prompt_fill(
            actor=request.user, prompt=prompt, work=form.cleaned_data["work"]
        )
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, "Your fill was posted to the prompt.")
    return redirect(prompt)


@login_required
@require_POST
def prompt_delete(request: HttpRequest, name: str, prompt_id: int) -> HttpResponse:
    collection = access.access_collection(request.user, name)
    challenge = access.access_challenge(request.user, collection)
    prompt = access.access_prompt_for_delete(request.user, challenge, prompt_id)
    try:
        prompt_actions.prompt_delete(actor=request.user, prompt=prompt)
    except ValidationError as error:
        flash_refusal(request, error)
        return redirect(prompt)
    messages.success(request, "The prompt was deleted.")
    return redirect("collections:prompts", name=name)


@login_required
def claim_list(request: HttpRequest, name: str) -> HttpResponse:
    """Maintainers: every unfilled claim. Others: their own claims."""
    collection = access.access_collection(request.user, name)
    challenge = access.access_challenge(request.user, collection)
    maintainer = access.is_maintainer(request.user, collection)
    claims = Claim.objects.filter(prompt__challenge=challenge).select_related(
        "user", "prompt", "work"
    )
    if maintainer and request.GET.get("mine") != "1":
        claims = claims.filter(work=None)
    else:
        claims = claims.filter(user=request.user)
    return render(
        request,
        "collections/claims.html",
        {"collection": collection, "claims": claims, "maintainer": maintainer},
    )
