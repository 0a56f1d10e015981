"""`polis bench corpus --works N` and `polis bench filter`: the benchmarks in bench/."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

import polis


def _load_bench():
    root = Path(polis.__file__).resolve().parent.parent
    if not (root / "bench").is_dir():
        raise CommandError("The bench/ folder is not beside the polis package (use a checkout).")
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from bench import corpus
    from bench import filter as filter_bench

    return corpus, filter_bench


class Command(BaseCommand):
    help = "Build a synthetic AO3-shaped corpus, or time a fixed mix of listing queries."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        corpus = sub.add_parser("corpus", help="fill the archive with synthetic works")
        corpus.add_argument("--works", type=int, default=100_000)
        corpus.add_argument("--seed", type=int, default=1)
        filters = sub.add_parser("filter", help="time the listing query mix")
        filters.add_argument("--runs", type=int, default=40)
        filters.add_argument("--seed", type=int, default=7)

    def handle(self, *args, what: str, **options):
        corpus, filter_bench = _load_bench()
        engine = connection.vendor
        if what == "corpus":
            start = time.perf_counter()
            counts = corpus.build_corpus(works=options["works"], seed=options["seed"])
            seconds = time.perf_counter() - start
            self.stdout.write(f"{engine}: built {corpus.size_summary(counts)} in {seconds:.0f} s")
        else:
            results = filter_bench.run(runs=options["runs"], seed=options["seed"])
            self.stdout.write(f"{engine}: {'query':34} {'p50':>8} {'p95':>8} {'max':>8}  (ms)")
            for name, stats in results.items():
                p50, p95, top = stats["p50"], stats["p95"], stats["max"]
                self.stdout.write(f"{engine}: {name:34} {p50:8.1f} {p95:8.1f} {top:8.1f}")
