"""`polis flush_hits`: write the hits waiting in the cache to the database now.

With Redis every app server shares one queue and this flushes all of it; with the per-process
local-memory cache each server flushes its own queue (on its interval and when it exits).
"""

from django.core.management.base import BaseCommand

from polis.engagement.hits import hits_flush


class Command(BaseCommand):
    help = "Write the hits waiting in the cache to the database."

    def handle(self, *args, **options) -> None:
        counted = hits_flush(everything=True)
        self.stdout.write(f"Counted {counted} new hit(s).")
