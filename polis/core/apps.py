from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "polis.core"
    label = "core"
