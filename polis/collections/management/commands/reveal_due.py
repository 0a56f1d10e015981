"""`polis reveal_due`: reveal every collection whose reveal date has passed (for cron)."""

from django.core.management.base import BaseCommand

from polis.collections.actions.collections import reveal_due


class Command(BaseCommand):
    help = "Reveal collections (works and creators) whose reveal date has passed."

    def handle(self, *args, **options):
        names = reveal_due()
        self.stdout.write(f"Revealed {len(names)} collection(s): {', '.join(names) or '-'}")
