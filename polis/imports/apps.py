"""App configuration for importing works from URLs and files, and archivists' imports."""

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "polis.imports"
    label = "imports"

    def ready(self) -> None:
        from polis.core import periodic
        from polis.imports.actions import restore_imported_dates
        from polis.imports.jobs import import_jobs_resume
        from polis.works.events import on_work_posted

        # An imported draft keeps its source's chapter dates and "updated" date when posted.
        on_work_posted(restore_imported_dates)
        # URL imports whose worker went silent are queued again (polis/imports/jobs.py).
        periodic.register("imports.resume_stale", every=60, run=import_jobs_resume, start_after=60)
