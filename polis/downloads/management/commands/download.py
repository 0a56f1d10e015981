"""`polis download WORK_ID --format epub --output PATH`: write a work's download file;
`polis download --series ID …` writes a whole series as one book."""

import os
import shutil
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError

from polis.downloads.build import (
    BuildFailed,
    download_get_or_build,
    series_download_get_or_build,
)
from polis.downloads.formats import FORMATS, format_for
from polis.downloads.preface import download_slug
from polis.downloads.series import series_slug
from polis.search.service import series_entries
from polis.works.models import Series, Work


class Command(BaseCommand):
    help = "Write the download file of a posted work, or of a series (from the cache when current)."

    def add_arguments(self, parser):
        parser.add_argument("work_id", type=int, nargs="?")
        parser.add_argument(
            "--series",
            type=int,
            dest="series_id",
            help="A series instead of a work: the works anyone may read, in series order.",
        )
        parser.add_argument("--format", default="epub", choices=list(FORMATS), dest="extension")
        parser.add_argument(
            "--output",
            default="",
            help="File or directory to write (default: the canonical file name, here).",
        )

    def handle(
        self,
        *args,
        work_id: int | None,
        series_id: int | None,
        extension: str,
        output: str,
        **options,
    ) -> None:
        if (work_id is None) == (series_id is None):
            raise CommandError("Give either a work id or --series ID.")
        fmt = format_for(extension)
        if fmt is None:
            raise CommandError(f"{extension} needs calibre's ebook-convert on PATH.")
        if series_id is not None:
            series = Series.objects.filter(pk=series_id).first()
            if series is None:
                raise CommandError(f"There is no series {series_id}.")
            # What a guest could download: the CLI acts for no one in particular.
            works = [entry.work for entry in series_entries(viewer=AnonymousUser(), series=series)]
            if not works:
                raise CommandError(f"Series {series_id} has no work that anyone may read.")
            stem = series_slug(series)
            source = self._built(series_download_get_or_build, series, works, fmt)
        else:
            work = Work.objects.filter(pk=work_id).first()
            if work is None:
                raise CommandError(f"There is no work {work_id}.")
            if not work.posted:
                raise CommandError(f"Work {work_id} is a draft; drafts are never downloaded.")
            stem = download_slug(work)
            source = self._built(download_get_or_build, work, fmt)
        target = Path(output or ".")
        if not output or target.is_dir() or output.endswith(("/", os.sep)):
            target = target / f"{stem}.{fmt.extension}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        self.stdout.write(str(target.resolve()))

    @staticmethod
    def _built(build, *args) -> Path:
        try:
            return build(*args)
        except BuildFailed as failed:
            raise CommandError(f"This version could not be built: {failed.reason}") from None
