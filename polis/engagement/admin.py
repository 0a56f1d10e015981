"""Django admin for operators: comments (spam review), bookmarks, subscriptions, notifications."""

from django.contrib import admin

from polis.engagement.models import Bookmark, Comment, ExternalWork, Kudos, Subscription


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["pk", "work", "author_name", "status", "hidden", "frozen", "created_at"]
    list_filter = ["status", "hidden", "frozen", "deleted"]
    search_fields = ["content", "guest_name", "user__username"]
    raw_id_fields = ["work", "chapter", "parent", "thread", "user", "pseud"]
    readonly_fields = ["guest_key", "text_hash", "dedupe_key", "created_at", "edited_at"]


@admin.register(Bookmark)
class BookmarkAdmin(admin.ModelAdmin):
    list_display = ["pk", "user", "work", "external", "private", "rec", "created_at"]
    list_filter = ["private", "rec"]
    raw_id_fields = ["user", "pseud", "work", "external"]


@admin.register(ExternalWork)
class ExternalWorkAdmin(admin.ModelAdmin):
    list_display = ["title", "creator", "fandom", "url"]
    search_fields = ["title", "creator", "url"]


@admin.register(Kudos)
class KudosAdmin(admin.ModelAdmin):
    list_display = ["pk", "work", "chapter", "user", "created_at"]
    raw_id_fields = ["work", "chapter", "user"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["pk", "user", "type", "target_user", "work", "series", "created_at"]
    list_filter = ["type"]
    raw_id_fields = ["user", "target_user", "work", "series"]
