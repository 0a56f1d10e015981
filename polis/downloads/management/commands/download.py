"""`polis download WORK_ID --format epub --output PATH`: write a work's download file."""

import os
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from polis.downloads.build import download_get_or_build
from polis.downloads.formats import FORMATS, format_for
from polis.downloads.preface import download_slug
from polis.works.models import Work


class Command(BaseCommand):
    help = "Write the download file of a posted work (from the cache when it is current)."

    def add_arguments(self, parser):
        parser.add_argument("work_id", type=int)
        parser.add_argument("--format", default="epub", choices=list(FORMATS), dest="extension")
        parser.add_argument(
            "--output",
            default="",
            help="File or directory to write (default: the canonical file name, here).",
        )

    def handle(self, *args, work_id: int, extension: str, output: str, **options) -> None:
        fmt = format_for(extension)
        if fmt is None:
            raise CommandError(f"{extension} needs calibre's ebook-convert on PATH.")
        work = Work.objects.filter(pk=work_id).first()
        if work is None:
            raise CommandError(f"There is no work {work_id}.")
        if not work.posted:
            raise CommandError(f"Work {work_id} is a draft; drafts are never downloaded.")
        target = Path(output or ".")
        if not output or target.is_dir() or output.endswith(("/", os.sep)):
            target = target / f"{download_slug(work)}.{fmt.extension}"
        source = download_get_or_build(work, fmt)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        self.stdout.write(str(target.resolve()))
