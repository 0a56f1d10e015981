"""Django admin for operators: works with their chapters, creators and tags."""

from django.contrib import admin

from polis.works.models import Chapter, Creatorship, Tagging, Work


class ChapterInline(admin.StackedInline):
    model = Chapter
    extra = 0
    fields = ["position", "title", "posted", "published_at", "word_count"]
    readonly_fields = ["word_count"]
    show_change_link = True


class CreatorshipInline(admin.TabularInline):
    model = Creatorship
    fk_name = "work"
    extra = 0
    autocomplete_fields = ["pseud"]
    fields = ["pseud", "accepted", "invited_by", "created_at"]
    readonly_fields = ["invited_by", "created_at"]


class TaggingInline(admin.TabularInline):
    model = Tagging
    extra = 0
    autocomplete_fields = ["tag"]


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "rating",
        "posted",
        "restricted",
        "complete",
        "chapter_count",
        "word_count",
        "published_at",
        "revised_at",
    ]
    list_filter = ["posted", "restricted", "complete", "rating", "language"]
    search_fields = ["title", "creatorships__pseud__name", "creatorships__pseud__user__username"]
    date_hierarchy = "published_at"
    readonly_fields = [
        "chapter_count",
        "word_count",
        "created_at",
        "updated_at",
        "revised_at",
        "hit_count",
        "kudos_count",
        "comment_count",
        "bookmark_count",
    ]
    inlines = [CreatorshipInline, TaggingInline, ChapterInline]
    list_per_page = 50


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["work", "position", "title", "posted", "word_count", "published_at"]
    list_filter = ["posted", "text_format"]
    search_fields = ["title", "work__title"]
    raw_id_fields = ["work"]
    readonly_fields = ["word_count", "content", "created_at", "updated_at"]
