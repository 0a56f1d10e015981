"""`polis backup [--to DIR]`: the database, secret key and uploads in one .tar.gz.

Safe while the archive serves (SQLite's online backup API; pg_dump's snapshot). See
polis/backups/archive.py for what the archive holds and docs/deploy.md, Backups.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from polis.backups.archive import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database, the secret key and media/ into a timestamped .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            default=None,
            help="directory to write into (default: POLIS_DATA_DIR/backups)",
        )

    def handle(self, *args, to: str | None, **options):
        target = Path(to) if to else Path(settings.DATA_DIR) / "backups"
        try:
            path = backup(target, progress=options["verbosity"] > 0, log=self._log(options))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(path.resolve()))

    def _log(self, options):
        quiet = options["verbosity"] == 0
        return lambda message: None if quiet else self.stderr.write(message)
