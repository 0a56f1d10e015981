"""Django admin for tags (wrangling proper has its own pages)."""

from django.contrib import admin

from polis.tags.models import Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "canonical", "merger", "created_at"]
    list_filter = ["type", "canonical"]
    search_fields = ["name", "key"]
    autocomplete_fields = ["merger"]
    readonly_fields = ["key", "created_at"]

    def save_model(self, request, obj, form, change):
        # Keep the case-folded key in step with the name typed in the admin.
        obj.set_name(obj.name)
        super().save_model(request, obj, form, change)
