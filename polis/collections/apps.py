from django.apps import AppConfig


class CollectionsConfig(AppConfig):
    name = "polis.collections"
    label = "collections"
    verbose_name = "Collections and challenges"

    def ready(self) -> None:
        # The posting form's collection and gift fields (works cannot import collections).
        from polis.collections.posting import register

        register()
