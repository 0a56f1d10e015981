from django.apps import AppConfig


class CollectionsConfig(AppConfig):
    name = "polis.collections"
    label = "collections"
    verbose_name = "Collections and challenges"
