"""`polis search snapshot` rebuilds the search accelerator's snapshot from the database;
`polis search reindex` indexes every work again (after a migration of the search index);
`polis search warm` (run by `polis serve` before its workers start) loads the snapshot,
replays the change log, and builds it only when it is missing or stale.

App processes load the snapshot and replay the change log written since, so they start in
seconds instead of reading every work. Run this after a restore or a bulk import, or nightly
from cron; a process that finds no usable snapshot builds and saves one itself.
"""

import time

from django.core.management.base import BaseCommand

from polis.search import accel, snapshot


class Command(BaseCommand):
    help = "Maintain the search index: `snapshot` rebuilds the accelerator's saved arrays."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("snapshot", help="build the accelerator from the database and save it")
        sub.add_parser("reindex", help="index every work again (after a search migration)")
        sub.add_parser(
            "warm", help="load the snapshot and replay the log; build it if missing or stale"
        )

    def handle(self, *args, what: str, **options):
        start = time.perf_counter()
        if what == "reindex":
            from polis.search.indexing import index_works
            from polis.works.models import Work

            ids = list(Work.objects.values_list("pk", flat=True))
            index_works(ids)
            self.stdout.write(f"Indexed {len(ids):,} works in {time.perf_counter() - start:.1f} s.")
            return
        if what == "warm":
            accelerator = accel.get() if accel.enabled() else None
            if accelerator is None:
                self.stdout.write("The search accelerator is off (POLIS_SEARCH_ACCEL).")
                return
            works = int(accelerator.alive[: accelerator.size].sum())
            self.stdout.write(
                f"Search snapshot of {works:,} works ready in {time.perf_counter() - start:.1f} s."
            )
            return
        accelerator = snapshot.snapshot_refresh()
        works = int(accelerator.alive[: accelerator.size].sum())
        self.stdout.write(
            f"Saved the search snapshot of {works:,} works to {snapshot.snapshot_path()}"
            f" in {time.perf_counter() - start:.1f} s."
        )
