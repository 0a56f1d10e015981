"""Django admin for operators: comments (spam review), bookmarks, kudos, subscriptions.

Comments, bookmarks and kudos feed a work's counters (and the listings' counts): they are
moderated and removed here through the engagement actions, which recount; everything a
reader wrote is read-only. Subscriptions and external works feed no counter or index and
are plain rows.
"""

from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpRequest

from polis.core.admin_actions import ActionAdmin
from polis.engagement.bookmarks import bookmark_delete
from polis.engagement.comments import (
    comment_approve,
    comment_delete,
    comment_thread_hide,
)
from polis.engagement.kudos import kudos_delete
from polis.engagement.models import Bookmark, Comment, ExternalWork, Kudos, Subscription


class NoAddAdmin(ActionAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        # Left by readers on the site or through the API, with their checks and limits.
        return False


@admin.register(Comment)
class CommentAdmin(NoAddAdmin):
    """Hide a thread as the work's creators may (`comment_thread_hide`), approve held
    comments (the list's action) and delete through `comment_delete`. Freezing a thread is
    moderation's (the queue or its API), which records why and tells its author."""

    list_display = ["pk", "work", "author_name", "status", "hidden", "frozen", "created_at"]
    list_filter = ["status", "hidden", "frozen", "deleted"]
    search_fields = ["content", "guest_name", "user__username"]
    list_select_related = ["work", "user", "pseud"]
    fields = [
        "work",
        "chapter",
        "parent",
        "user",
        "pseud",
        "guest_name",
        "guest_email",
        "content",
        "status",
        "hidden",
        "frozen",
        "deleted",
        "created_at",
        "edited_at",
    ]
    readonly_fields = [name for name in fields if name != "hidden"]
    actions = ["approve"]

    @admin.action(description="Approve the selected held comments")
    def approve(self, request: HttpRequest, queryset) -> None:
        with transaction.atomic():
            for comment in queryset.order_by("pk"):
                comment_approve(actor=request.user, comment=comment)
        self.message_user(request, "The comments were approved.", messages.SUCCESS)

    def save_model(self, request: HttpRequest, obj: Comment, form, change: bool) -> None:
        changed = set(form.changed_data)
        with self.refusable(request):
            comment = Comment.objects.get(pk=obj.pk)
            if "hidden" in changed:
                comment_thread_hide(
                    actor=request.user, comment=comment, hidden=form.cleaned_data["hidden"]
                )

    def delete_model(self, request: HttpRequest, obj: Comment) -> None:
        with self.refusable(request):
            comment_delete(actor=request.user, comment=obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        with transaction.atomic():
            for pk in list(queryset.order_by("-depth", "pk").values_list("pk", flat=True)):
                # Deleting a reply may have removed an emptied placeholder above it already.
                comment = Comment.objects.filter(pk=pk).first()
                if comment is not None:
                    comment_delete(actor=request.user, comment=comment)


class DeleteThroughAction(NoAddAdmin):
    """Read-only rows whose delete (single or bulk) goes through the action `_delete` calls."""

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj) -> None:
        with self.refusable(request):
            self._delete(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        with transaction.atomic():
            for obj in queryset.order_by("pk"):
                self._delete(request, obj)

    def _delete(self, request: HttpRequest, obj) -> None:
        raise NotImplementedError


@admin.register(Bookmark)
class BookmarkAdmin(DeleteThroughAction):
    list_display = ["pk", "user", "work", "external", "private", "rec", "created_at"]
    list_filter = ["private", "rec"]
    list_select_related = ["user", "work", "external"]
    fields = ["user", "pseud", "work", "external", "notes", "private", "rec", "created_at"]

    def _delete(self, request: HttpRequest, obj: Bookmark) -> None:
        bookmark_delete(actor=request.user, bookmark=obj)


@admin.register(Kudos)
class KudosAdmin(DeleteThroughAction):
    list_display = ["pk", "work", "chapter", "user", "created_at"]
    list_select_related = ["work", "chapter", "user"]
    fields = ["work", "chapter", "user", "created_at"]

    def _delete(self, request: HttpRequest, obj: Kudos) -> None:
        kudos_delete(actor=request.user, kudos=obj)


@admin.register(ExternalWork)
class ExternalWorkAdmin(admin.ModelAdmin):
    list_display = ["title", "creator", "fandom", "url"]
    search_fields = ["title", "creator", "url"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["pk", "user", "type", "target_user", "work", "series", "created_at"]
    list_filter = ["type"]
    raw_id_fields = ["user", "target_user", "work", "series"]
