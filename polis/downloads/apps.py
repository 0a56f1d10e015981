"""Django app configuration for downloads."""

from django.apps import AppConfig


class DownloadsConfig(AppConfig):
    name = "polis.downloads"
    label = "downloads"
    verbose_name = "Downloads"
