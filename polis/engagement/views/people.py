"""Muting and blocking pages: the lists, and the confirmations before each change."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from polis.accounts.access import access_own_user, access_user
from polis.accounts.models import User
from polis.engagement import relations
from polis.engagement.forms import UsernameForm
from polis.engagement.views.common import apply_errors

KINDS = {
    "muted": {
        "add": relations.mute_add,
        "remove": relations.mute_remove,
        "list": relations.mutes_of,
        "attr": "muted",
        "verb": "Mute",
        "title": "Muted Users",
        "explain": (
            "You won't see the works, series, bookmarks or comments of users you mute, and "
            "they are left out of the counts you see. They are not told."
        ),
    },
    "blocked": {
        "add": relations.block_add,
        "remove": relations.block_remove,
        "list": relations.blocks_of,
        "attr": "blocked",
        "verb": "Block",
        "title": "Blocked Users",
        "explain": (
            "Users you block can no longer comment on your works, reply to your comments or "
            "leave kudos on your works. They are not told, unless they try."
        ),
    },
}


def people_list(request: HttpRequest, username: str, kind: str) -> HttpResponse:
    user = access_own_user(request.user, username)
    config = KINDS[kind]
    form = UsernameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = User.objects.filter(username__iexact=form.cleaned_data["username"]).first()
        if target is None:
            form.add_error("username", "There is no user with that name.")
        else:
            try:
                config["add"](actor=user, target=target)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"You have {kind} {target.username}.")
                return redirect(f"engagement:{kind}", username=user.username)
    people = [getattr(row, config["attr"]) for row in config["list"](user)]
    context = {"profile_user": user, "form": form, "people": people, "kind": kind, **config}
    return render(request, "engagement/people.html", context)


@login_required
def muted(request: HttpRequest, username: str) -> HttpResponse:
    return people_list(request, username, "muted")


@login_required
def blocked(request: HttpRequest, username: str) -> HttpResponse:
    return people_list(request, username, "blocked")


@login_required
def confirm(request: HttpRequest, username: str, kind: str) -> HttpResponse:
    """`/users/NAME/mute` and `/users/NAME/block`: confirm, then change (works without JS)."""
    target = access_user(username)
    config = KINDS[kind]
    if request.method == "POST":
        try:
            config["add"](actor=request.user, target=target)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"You have {kind} {target.username}.")
        return redirect(f"engagement:{kind}", username=request.user.username)
    return render(
        request, "engagement/people_confirm.html", {"target": target, "kind": kind, **config}
    )


@login_required
@require_POST
def remove(request: HttpRequest, username: str, kind: str, target: str) -> HttpResponse:
    user = access_own_user(request.user, username)
    other = access_user(target)
    KINDS[kind]["remove"](actor=user, target=other)
    word = "unmuted" if kind == "muted" else "unblocked"
    messages.success(request, f"You have {word} {other.username}.")
    return redirect(f"engagement:{kind}", username=user.username)
