"""Django admin for operators: works with their chapters, creators and tags.

Every save and delete goes through the works actions, so the search index, the change log
(and with it every listing, feed, count and cache) and the counters follow at once. Fields
no action here owns are read-only: counters, dates the actions keep, and the inlines
(chapters are edited one by one on their own admin page; creators and tags on the site).
"""

import dataclasses

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from polis.core.admin_actions import ActionAdmin
from polis.works import actions
from polis.works.models import Chapter, Creatorship, Tagging, Work


class ReadOnlyInline:
    """Shown for reference only: rows are added, changed and removed through actions."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return self.fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ChapterInline(ReadOnlyInline, admin.TabularInline):
    model = Chapter
    fields = ["position", "title", "posted", "published_at", "word_count"]
    show_change_link = True


class CreatorshipInline(ReadOnlyInline, admin.TabularInline):
    """Co-creators are invited and accept on the site (creatorship actions)."""

    model = Creatorship
    fk_name = "work"
    fields = ["pseud", "accepted", "invited_by", "created_at"]


class TaggingInline(ReadOnlyInline, admin.TabularInline):
    """A work's tags are its creators' (the edit page, the API); wranglers change what a tag
    means on the tag pages."""

    model = Tagging
    fields = ["tag"]


# The work's own fields the admin may change, and what changes them: `work_update` for the
# preface and settings (the rating tag follows the rating), `work_post` / `work_unpost`
# for `posted`. `hidden` is moderation's (polis/moderation/actions_content.py).
UPDATE_FIELDS = [
    "title",
    "summary",
    "notes",
    "end_notes",
    "rating",
    "language",
    "restricted",
    "complete",
    "expected_chapters",
    "published_at",
]


@admin.register(Work)
class WorkAdmin(ActionAdmin):
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
    list_filter = [
        "posted",
        "restricted",
        "hidden",
        "unrevealed",
        "anonymous",
        "complete",
        "rating",
        "language",
    ]
    search_fields = ["title", "creatorships__pseud__name", "creatorships__pseud__user__username"]
    date_hierarchy = "published_at"
    fields = [
        *UPDATE_FIELDS,
        "posted",
        "hidden",
        "anonymous",
        "unrevealed",
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
    readonly_fields = [
        # Staff hide a work from the moderation queue or its API (`content_hide`), which
        # records why in the audit log and tells the creators: not by a checkbox here.
        "hidden",
        # Set by collections through `work_conceal` (from its items and settings).
        "anonymous",
        "unrevealed",
        # Counted from the chapters, kept by the actions, or counted by other requests.
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A work is posted with its creators and first chapter: on the site, the API or the CLI.
        return False

    def save_model(self, request: HttpRequest, obj: Work, form, change: bool) -> None:
        changed = set(form.changed_data)
        with self.refusable(request):
            # `obj` already holds the typed values; the actions start from the stored row.
            work = Work.objects.get(pk=obj.pk)
            if changed & set(UPDATE_FIELDS):
                typed = {name: form.cleaned_data[name] for name in UPDATE_FIELDS}
                data = dataclasses.replace(actions.WorkInput.of(work), **typed)
                work = actions.work_update(actor=request.user, work=work, data=data)
            if "posted" in changed:
                if form.cleaned_data["posted"]:
                    work = actions.work_post(actor=request.user, work=work)
                else:
                    work = actions.work_unpost(actor=request.user, work=work)

    def delete_model(self, request: HttpRequest, obj: Work) -> None:
        with self.refusable(request):
            actions.work_delete(actor=request.user, work=obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        # "Delete selected works": each through the action, all or none.
        with transaction.atomic():
            for work in queryset.order_by("pk"):
                actions.work_delete(actor=request.user, work=work)


@admin.register(Chapter)
class ChapterAdmin(ActionAdmin):
    """A chapter's preface can be corrected here (through `chapter_update`, so it is sanitized
    and the work's index entry follows); its text, place and state change on the site."""

    list_display = ["work", "position", "title", "posted", "word_count", "published_at"]
    list_filter = ["posted", "text_format"]
    search_fields = ["title", "work__title"]
    list_select_related = ["work"]
    fields = [
        "work",
        "position",
        "title",
        "summary",
        "notes",
        "end_notes",
        "posted",
        "published_at",
        "text_format",
        "word_count",
        "content",
        "created_at",
        "updated_at",
    ]
    readonly_fields = [
        "work",
        "position",
        "posted",
        "published_at",
        "text_format",
        "word_count",
        "content",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_actions(self, request: HttpRequest):
        # Deleting a chapter may be refused (a work's last chapter): one at a time, from
        # its page, where the refusal can be shown.
        found = super().get_actions(request)
        found.pop("delete_selected", None)
        return found

    def save_model(self, request: HttpRequest, obj: Chapter, form, change: bool) -> None:
        with self.refusable(request):
            chapter = Chapter.objects.select_related("work").get(pk=obj.pk)
            data = actions.ChapterInput(
                text=chapter.source,
                text_format=chapter.text_format,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                notes=form.cleaned_data["notes"],
                end_notes=form.cleaned_data["end_notes"],
            )
            actions.chapter_update(actor=request.user, chapter=chapter, data=data)

    def delete_model(self, request: HttpRequest, obj: Chapter) -> None:
        with self.refusable(request):
            actions.chapter_delete(actor=request.user, chapter=obj)
