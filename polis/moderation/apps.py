from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "polis.moderation"
    label = "moderation"
    verbose_name = "Moderation"
