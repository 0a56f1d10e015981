from django.apps import AppConfig


class CollectionsConfig(AppConfig):
    name = "polis.collections"
    label = "collections"
    verbose_name = "Collections and challenges"

    def ready(self) -> None:
        # Works cannot import collections: the posting form's collection and gift fields
        # register into its hook (see docs/adr/0003-hooks-between-apps.md).
        from polis.collections.posting import register as register_posting_fields

        register_posting_fields()

        from polis.collections.actions.collections import reveal_due
        from polis.core import periodic

        # Reveals fall due at a time, whether or not anyone visits the collection.
        periodic.register("collections.reveal_due", every=30, run=reveal_due)
