from django.apps import AppConfig


class TagsConfig(AppConfig):
    name = "polis.tags"
    label = "tags"
