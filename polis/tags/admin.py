"""Django admin for tags (wrangling proper has its own pages).

Each change goes through the wrangling action that owns it, so the works' filter sets and
index entries follow: the name through `tag_rename`, the type through `tag_set_type`, a
synonym through `tag_make_synonym` / `tag_remove_synonym`, canonical through
`tag_set_canonical`. Tags are made by posting works and wrangling; deleting one would take
it off its works without recomputing their filter sets, so neither is offered here.
"""

from django.contrib import admin
from django.http import HttpRequest

from polis.core.admin_actions import ActionAdmin
from polis.tags import wrangling
from polis.tags.models import Tag


@admin.register(Tag)
class TagAdmin(ActionAdmin):
    list_display = ["name", "type", "canonical", "merger", "created_at"]
    list_filter = ["type", "canonical"]
    search_fields = ["name", "key"]
    autocomplete_fields = ["merger"]
    fields = ["name", "key", "type", "canonical", "merger", "created_at"]
    readonly_fields = ["key", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Tag | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Tag, form, change: bool) -> None:
        changed = set(form.changed_data)
        typed = form.cleaned_data
        actor = request.user
        with self.refusable(request):
            tag = Tag.objects.get(pk=obj.pk)
            if "merger" in changed and tag.merger_id:
                tag = wrangling.tag_remove_synonym(actor=actor, tag=tag)
            if "canonical" in changed and typed["canonical"] != tag.canonical:
                tag = wrangling.tag_set_canonical(
                    actor=actor, tag=tag, canonical=typed["canonical"]
                )
            if "merger" in changed and typed["merger"] is not None:
                tag = wrangling.tag_make_synonym(actor=actor, tag=tag, of=typed["merger"])
            if "name" in changed:
                tag = wrangling.tag_rename(actor=actor, tag=tag, name=typed["name"])
            if "type" in changed:
                tag = wrangling.tag_set_type(actor=actor, tag=tag, tag_type=typed["type"])
