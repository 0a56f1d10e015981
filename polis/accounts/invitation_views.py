"""The public "get an invitation" pages: join the queue, see your place in it."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from polis.accounts.invitation_queue import (
    invitation_request_create,
    queue_length,
    queue_position,
)
from polis.accounts.models import InvitationRequest
from polis.core.models import SignupPolicy
from polis.core.ratelimit import client_key, hit
from polis.core.site_settings import site_settings

# Joins from one address: enough for a household, too few to flood the queue.
JOINS_PER_HOUR = 5


class InvitationRequestForm(forms.Form):
    email = forms.EmailField(label="E-mail address", max_length=254)


def invite_request_new(request: HttpRequest) -> HttpResponse:
    open_queue = site_settings().signup == SignupPolicy.INVITATIONS
    form = InvitationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = hit(f"invite-request:{client_key(request)}", limit=JOINS_PER_HOUR, window=3600)
        if wait is not None:
            form.add_error(None, f"Too many requests from here; try again in {wait} seconds.")
            context = {"form": form, "open_queue": open_queue, "waiting": queue_length()}
            response = render(request, "accounts/invite_request_form.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
        try:
            entry = invitation_request_create(email=form.cleaned_data["email"])
        except ValidationError as error:
            form.add_error("email", error.message_dict.get("email", error.messages))
        else:
            return redirect("invitations:request_status", token=entry.token)
    context = {"form": form, "open_queue": open_queue, "waiting": queue_length()}
    status = 400 if form.is_bound else 200
    return render(request, "accounts/invite_request_form.html", context, status=status)


def invite_request_status(request: HttpRequest, token: str) -> HttpResponse:
    """The requester's place (the link is the secret: it names no address to others)."""
    entry = InvitationRequest.objects.filter(token=token).first()
    if entry is None:
        raise Http404("No such request.")
    context = {"entry": entry, "position": queue_position(entry)}
    return render(request, "accounts/invite_request_status.html", context)
