from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "polis.backups"
    label = "backups"
    verbose_name = "Backups"
