"""A base for ModelAdmins whose saves and deletes go through the apps' actions.

The admin is one more surface: a save that wrote the row directly would skip what the action
keeps in step (the search index, counters, caches). Each app's admin therefore overrides
`save_model` / `delete_model` / `delete_queryset` to call its actions inside
`self.refusable(request)`, and lists every other field as read-only. An action's refusal
(a ValidationError) is shown as an error on the change page, and the whole request is rolled
back instead of reporting "changed successfully". The admin's change and delete views run in
one transaction; nothing may query after the rollback is set, so the history entry, the
inlines and the change message are skipped then too.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

_REFUSED = "_polis_admin_refused"


def _refused(request: HttpRequest) -> bool:
    return getattr(request, _REFUSED, False)


class ActionAdmin(admin.ModelAdmin):
    @contextmanager
    def refusable(self, request: HttpRequest) -> Iterator[None]:
        """Run actions; a refusal is shown to the operator and undoes the whole request."""
        try:
            with transaction.atomic():
                yield
        except ValidationError as error:
            if transaction.get_connection().in_atomic_block:
                transaction.set_rollback(True)
            setattr(request, _REFUSED, True)
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)

    def refused(self, request: HttpRequest) -> bool:
        """Whether an action refused this request (and it is being rolled back)."""
        return _refused(request)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        if not _refused(request):
            super().save_related(request, form, formsets, change)

    def construct_change_message(self, request: HttpRequest, form, formsets, add=False):
        if _refused(request):
            return []
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request: HttpRequest, obj, message):
        if not _refused(request):
            return super().log_change(request, obj, message)
        return None

    def response_change(self, request: HttpRequest, obj) -> HttpResponse:
        if _refused(request):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def response_delete(self, request: HttpRequest, obj_display: str, obj_id) -> HttpResponse:
        if _refused(request):
            opts = self.opts
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj_id])
            return HttpResponseRedirect(change)
        return super().response_delete(request, obj_display, obj_id)
