"""The API tokens page (/settings/tokens): make a token, see it once, revoke tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from polis.api import actions
from polis.api.access import access_token_for_revoke, tokens_of
from polis.api.forms import TokenCreateForm


@login_required
def token_settings(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST if "create" in request.POST else None)
    new_token = None
    status = 200
    if request.method == "POST" and "revoke" in request.POST:
        try:
            token_id = int(request.POST["revoke"])
        except ValueError:
            token_id = 0
        token = access_token_for_revoke(request.user, token_id)
        actions.token_revoke(actor=request.user, token=token)
        messages.success(request, f"The token “{token.name}” was revoked.")
        return redirect("api_tokens")
    if form.is_bound:
        if form.is_valid():
            try:
                _, new_token = actions.token_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # Shown on this response only: the token is never stored in readable form.
                form = TokenCreateForm()
        if form.errors:
            status = 400
    context = {"form": form, "tokens": tokens_of(request.user), "new_token": new_token}
    response = render(request, "api/tokens.html", context, status=status)
    if new_token:
        response["Cache-Control"] = "no-store"
    return response
