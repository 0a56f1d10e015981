"""The Django admin for API tokens: see and revoke them (`token_revoke`); owners make new ones."""

from django.contrib import admin
from django.http import HttpRequest

from polis.api.actions import token_revoke
from polis.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A token is shown once, to its owner, at /settings/tokens or by `polis token create`.
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: ApiToken) -> None:
        token_revoke(actor=request.user, token=obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for token in queryset:
            token_revoke(actor=request.user, token=token)
