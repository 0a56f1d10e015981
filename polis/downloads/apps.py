"""Django app configuration for downloads."""

from django.apps import AppConfig


class DownloadsConfig(AppConfig):
    name = "polis.downloads"
    label = "downloads"
    verbose_name = "Downloads"

    def ready(self) -> None:
        from polis.downloads.guest import works_changed
        from polis.search.hooks import register_index_listener

        # Guests' remembered downloads are dropped the moment a work's change commits.
        register_index_listener(works_changed)
