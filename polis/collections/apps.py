from django.apps import AppConfig


class CollectionsConfig(AppConfig):
    name = "polis.collections"
    label = "collections"
    verbose_name = "Collections and challenges"

    def ready(self) -> None:
        # Works and search cannot import collections: collections register into their hooks
        # (see docs/adr/0003-hooks-between-apps.md).
        from polis.collections.hooks import register as register_hooks
        from polis.collections.posting import register as register_posting_fields

        register_posting_fields()
        register_hooks()
