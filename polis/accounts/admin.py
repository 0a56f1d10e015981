"""The Django admin for users, pseuds and invitations.

What has derived state or must be recorded goes through actions: a new user's default
pseud, a pseud's sanitized description, an invitation's token, and the staff roles (the role
groups) and the active, staff and superuser flags, which `polis.accounts.role_actions`
records in the audit log and only superadmins change. The username, pseud names and the
older wrangler flag are read-only (roles are granted as groups). Accounts and pseuds are
deactivated, not deleted: no action yet takes their works, kudos and bookmarks out of the
index and counters. A ban is lifted on the sanctions page, not by ticking "active".
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from polis.accounts.actions import invitation_create, pseud_update, user_setup
from polis.accounts.models import Invitation, Pseud, User
from polis.accounts.role_actions import FLAGS, role_grant, role_revoke, user_set_flags
from polis.accounts.roles import Role
from polis.core.admin_actions import ActionAdmin


class PseudInline(admin.TabularInline):
    """Read-only: pseuds are renamed through the site so the default keeps the username."""

    model = Pseud
    fields = ["name", "is_default", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(ActionAdmin, DjangoUserAdmin):
    list_display = [
        "username",
        "email",
        "is_active",
        "is_staff",
        "is_tag_wrangler",
        "view_adult",
        "date_joined",
    ]
    list_filter = [*DjangoUserAdmin.list_filter, "is_tag_wrangler"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("Polis", {"fields": ["is_tag_wrangler", "view_adult"]}),
    ]
    inlines = [PseudInline]

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None):
        # Renaming must rename the default pseud too: users do it in Settings
        # (user_change_username), not here. The older wrangler flag is read-only: the
        # tag-wrangling role is granted as a group, which is recorded.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "username", "is_tag_wrangler"] if obj is not None else readonly

    def get_inlines(self, request: HttpRequest, obj: User | None):
        # A user being added has no pseuds yet; save_model gives it the default one.
        return self.inlines if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        # Deleting an account would take its pseuds off their works, and its kudos and
        # bookmarks off the counters, with no action to reindex and recount: deactivate it.
        return False

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            # The admin's creation form saves the user itself, bypassing the manager.
            user_setup(user=obj)
            return
        # The flags go through the action (checked and recorded): the plain save keeps the
        # stored ones.
        stored = User.objects.get(pk=obj.pk)
        typed = {name: getattr(obj, name) for name in FLAGS if name in form.changed_data}
        for name in FLAGS:
            setattr(obj, name, getattr(stored, name))
        with self.refusable(request), _refusals_shown():
            super().save_model(request, obj, form, change)
            if typed:
                user_set_flags(actor=request.user, user=obj, **typed)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        if self.refused(request) or not change or "groups" not in form.cleaned_data:
            return super().save_related(request, form, formsets, change)
        # Other groups are saved as chosen; role groups through role_grant / role_revoke.
        user = form.instance
        chosen = list(form.cleaned_data["groups"])
        held = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        wanted = {group.name for group in chosen if group.name in Role.values}
        form.cleaned_data["groups"] = [
            *(group for group in chosen if group.name not in Role.values),
            *Group.objects.filter(name__in=held),
        ]
        super().save_related(request, form, formsets, change)
        with self.refusable(request), _refusals_shown():
            for role in sorted(wanted - held):
                role_grant(actor=request.user, user=user, role=role)
            for role in sorted(held - wanted):
                role_revoke(actor=request.user, user=user, role=role)


@contextmanager
def _refusals_shown() -> Iterator[None]:
    """A role action's PermissionDenied shown as the admin shows refusals (and rolled back)."""
    try:
        yield
    except PermissionDenied as error:
        raise ValidationError(str(error)) from None


@admin.register(Pseud)
class PseudAdmin(admin.ModelAdmin):
    """Moderators may clean up a description; names and ownership change on the site."""

    list_display = ["name", "user", "is_default", "created_at"]
    list_filter = ["is_default"]
    search_fields = ["name", "user__username"]
    list_select_related = ["user"]
    fields = ["user", "name", "is_default", "description", "created_at"]
    readonly_fields = ["user", "name", "is_default", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Pseud | None = None) -> bool:
        # A pseud's works would lose their creator without being reindexed.
        return False

    def save_model(self, request: HttpRequest, obj: Pseud, form, change: bool) -> None:
        # Through the action, so the description is sanitized like any other.
        pseud_update(actor=obj.user, pseud=obj, name=obj.name, description=obj.description)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["token", "email", "created_by", "created_at", "used_by", "used_at"]
    list_filter = [("used_at", admin.EmptyFieldListFilter)]
    search_fields = ["token", "email", "used_by__username"]
    list_select_related = ["created_by", "used_by"]
    readonly_fields = ["token", "created_by", "created_at", "used_by", "used_at"]
    fields = ["token", "email", "created_by", "created_at", "used_by", "used_at"]

    def save_model(self, request: HttpRequest, obj: Invitation, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = invitation_create(actor=request.user, email=obj.email)
        obj.pk, obj.token, obj.created_by = created.pk, created.token, created.created_by
