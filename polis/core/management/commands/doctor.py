"""`polis doctor`: verify filter sets, counters and the search index; `--repair` fixes them.

Exit status 0 when everything agrees (or was repaired), 1 when problems were left as found.
Run it after a crash, a restore or a bulk import; it is safe while the archive serves.
"""

from django.core.management.base import BaseCommand

from polis.core import doctor


class Command(BaseCommand):
    help = "Check filter sets, counters and the search index against the rows (and repair)."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="fix what is found")
        parser.add_argument(
            "--check", action="append", choices=sorted(doctor.checks()), help="only these"
        )

    def handle(self, *args, repair: bool, check: list[str] | None, **options):
        left = 0
        for name, run in doctor.checks().items():
            if check and name not in check:
                continue
            found = 0
            for finding in run(repair):
                found += 1
                left += not finding.repaired
                state = "repaired" if finding.repaired else "found"
                self.stdout.write(f"{name}: {finding.subject}: {finding.problem} ({state})")
            self.stdout.write(f"{name}: {'ok' if not found else f'{found} problem(s)'}")
        if left:
            self.stderr.write(f"{left} problem(s) left; run `polis doctor --repair` to fix them.")
            raise SystemExit(1)
