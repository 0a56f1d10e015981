"""`polis restore FILE [--force]`: put a `polis backup` archive back, into a fresh data
directory (and, on PostgreSQL, an empty database) unless --force; then migrate, check the
row counts against the backup's and verify or rebuild the search snapshot.

Stop Polis (app servers and workers) first.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from polis.backups.archive import BackupError, restore


class Command(BaseCommand):
    help = "Restore a `polis backup` archive into a fresh data directory and database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .tar.gz written by `polis backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the database, secret key and media/ already there",
        )

    def handle(self, *args, file: str, force: bool, **options):
        archive = Path(file)
        if not archive.is_file():
            raise CommandError(f"There is no file {archive}.")
        quiet = options["verbosity"] == 0

        def log(message: str) -> None:
            if not quiet:
                self.stderr.write(message)

        try:
            result = restore(archive, force=force, progress=not quiet, log=log)
        except BackupError as error:
            raise CommandError(str(error)) from None
        summary = f"restored {result.tables} tables, {result.rows} rows"
        self.stdout.write(f"{summary}; search snapshot {result.snapshot}")
