"""`polis post_scheduled`: post every scheduled draft and chapter that is due (for cron)."""

from django.core.management.base import BaseCommand

from polis.works.scheduling import posting_due


class Command(BaseCommand):
    help = "Post the scheduled works and chapters whose time has come."

    def handle(self, *args, **options):
        posted = posting_due()
        self.stdout.write(f"Posted {len(posted)}: {', '.join(posted) or '-'}")
