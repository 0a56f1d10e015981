"""`polis expire_exports`: delete account exports past their download window (for cron)."""

from django.core.management.base import BaseCommand

from polis.rights.exports import exports_expire


class Command(BaseCommand):
    help = "Delete account data exports whose download window has passed."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{exports_expire()} export(s) deleted.")
