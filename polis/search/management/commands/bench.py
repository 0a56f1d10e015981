"""`polis bench corpus --works N`, `polis bench filter` and `polis bench scale --works N`: the
benchmarks in bench/."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

import polis


def _root() -> Path:
    root = Path(polis.__file__).resolve().parent.parent
    if not (root / "bench").is_dir():
        raise CommandError("The bench/ folder is not beside the polis package (use a checkout).")
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    return root


def _load_bench():
    _root()
    from bench import corpus
    from bench import filter as filter_bench

    return corpus, filter_bench


class Command(BaseCommand):
    help = (
        "Build a synthetic AO3-shaped corpus, time a fixed mix of listing queries, or time"
        " the accelerator alone on synthetic arrays of AO3's size."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        corpus = sub.add_parser("corpus", help="fill the archive with synthetic works")
        corpus.add_argument("--works", type=int, default=100_000)
        corpus.add_argument("--seed", type=int, default=1)
        filters = sub.add_parser("filter", help="time the listing query mix")
        filters.add_argument("--runs", type=int, default=40)
        filters.add_argument("--seed", type=int, default=7)
        scale = sub.add_parser(
            "scale", help="the accelerator alone at AO3's size: synthetic arrays, no database"
        )
        scale.add_argument("--works", type=int, default=2_000_000)
        scale.add_argument("--seed", type=int, default=1)
        scale.add_argument("--runs", type=int, default=40)
        scale.add_argument("--query-seed", type=int, default=7)
        scale.add_argument("--json", action="store_true", help="print the figures as JSON")
        scale.add_argument("--no-progress", action="store_true")
        # The second, fresh process that loads the snapshot and times the queries.
        scale.add_argument("--serve", default="", help=argparse.SUPPRESS)

    def handle(self, *args, what: str, **options):
        if what == "scale":
            return self._scale(options)
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

    def _scale(self, options) -> None:
        root = _root()
        from bench import scale, scale_run

        if options["serve"]:
            scale_run.main(options["serve"], options["runs"], options["query_seed"])
            return
        base = Path(settings.DATA_DIR)
        base.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="bench-scale-", dir=base))
        try:
            report = self._scale_in(folder, root, scale, options)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if options["json"]:
            self.stdout.write(json.dumps(report))
        else:
            self._print(report)

    def _scale_in(self, folder: Path, root: Path, scale, options) -> dict:
        from polis.search import snapshot

        start = time.perf_counter()
        acc, shape = scale.build(
            options["works"], seed=options["seed"], progress=not options["no_progress"]
        )
        built = time.perf_counter() - start
        path = folder / "snapshot"
        start = time.perf_counter()
        snapshot.save(acc, path)
        saved = time.perf_counter() - start
        summary = scale.summary(acc, shape)
        del acc
        command = [sys.executable, "-m", "polis.cli", "bench", "scale", "--serve", str(path)]
        command += ["--runs", str(options["runs"]), "--query-seed", str(options["query_seed"])]
        env = {**os.environ, "PYTHONPATH": str(root)}
        child = subprocess.run(
            command, cwd=root, env=env, capture_output=True, text=True, check=False
        )
        if child.returncode:
            raise CommandError(f"the query process failed:\n{child.stderr}")
        served = json.loads(child.stdout.strip().splitlines()[-1])
        return {
            "archive": summary,
            "build_seconds": built,
            "save_seconds": saved,
            "snapshot_bytes": sum(p.stat().st_size for p in path.iterdir()),
            **served,
        }

    def _print(self, report: dict) -> None:
        archive = report["archive"]
        write = self.stdout.write
        write(
            "archive: "
            + ", ".join(f"{key} {value:,}" for key, value in archive.items() if key != "types")
        )
        write("tags by type: " + ", ".join(f"{k} {v:,}" for k, v in archive["types"].items()))
        write(
            f"build {report['build_seconds']:.1f} s, snapshot save {report['save_seconds']:.1f} s"
            f" ({report['snapshot_bytes'] / 2**20:,.0f} MiB), load {report['load_seconds']:.2f} s"
            f" (+ warm: {report['warm_seconds']:.2f} s)"
        )
        for label, key in (("ready", "memory"), ("after the queries", "memory_after")):
            m = report[key]
            write(
                f"memory {label}: own {m['own'] / 2**20:,.0f} MiB (RSS {m['rss'] / 2**20:,.0f} MiB"
                f" less {m['snapshot_mapped'] / 2**20:,.0f} MiB of mapped snapshot;"
                f" anonymous {m['anonymous'] / 2**20:,.0f} MiB)"
            )
        write(f"{'query':34} {'p50':>8} {'p95':>8} {'max':>8} {'cpu p50':>8} {'cpu p95':>8}  (ms)")
        for name, s in report["queries"].items():
            write(
                f"{name:34} {s['p50']:8.1f} {s['p95']:8.1f} {s['max']:8.1f}"
                f" {s['cpu_p50']:8.1f} {s['cpu_p95']:8.1f}"
            )
