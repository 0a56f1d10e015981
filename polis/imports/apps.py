"""App configuration for importing works from URLs and files, and archivists' imports."""

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "polis.imports"
    label = "imports"

    def ready(self) -> None:
        from polis.imports.actions import restore_imported_dates
        from polis.works.events import on_work_posted

        # An imported draft keeps its source's chapter dates and "updated" date when posted.
        on_work_posted(restore_imported_dates)
