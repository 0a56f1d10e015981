"""Does counting hits slow the work page? Throughput with hit recording off and on.

    .venv/bin/python -m bench.hits [--block 25] [--cycles 120]

Builds a fresh SQLite archive in a temporary directory (one work of three chapters), then
serves `/works/ID` in-process through Django's test client (the full middleware stack, no
network) in short interleaved blocks, the order rotating:

- off:        POLIS_HITS_ENABLED = False (the page without any hit code);
- repeat:     recording on, one returning visitor (the common case: one cache lookup);
- new:        recording on, a different visitor on every request (the worst case: every view
              is queued, and a batch is flushed to the database every POLIS_HITS_FLUSH_AT).

It prints requests per CPU-second of the benchmark process and per wall-clock second, and the
difference from "off" as the median of paired ratios (each block against the "off" block of
its cycle, so that the machine's drifting load cancels out), then the CPU time of the hit code alone
(`record_reading`, returning and new visitors) against the CPU time of a page. On a busy or
shared machine a page block's rate moves by several per cent whatever the mode;
the direct measurement is the precise one. It fails only if both exceed 10 %.
"""

import argparse
import ipaddress
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time


def _setup(data_dir: str) -> None:
    os.environ["POLIS_DATA_DIR"] = data_dir
    os.makedirs(os.path.join(data_dir, "static"), exist_ok=True)  # WhiteNoise looks for it
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polis.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _work_path() -> str:
    from polis.accounts.models import User
    from polis.works.actions import ChapterInput, WorkInput, chapter_add, work_create

    writer = User.objects.create_user("benchwriter", "bench@example.org", "bench-password-123")
    paragraph = "<p>" + " ".join(["The lamp turned all night over the quiet sea."] * 20) + "</p>"
    work = work_create(
        actor=writer,
        pseuds=[writer.pseuds.get()],
        data=WorkInput(
            title="Benchmark Lighthouse",
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=["Original Work"],
            freeforms=["Fluff", "Slow Burn"],
        ),
        chapter=ChapterInput(text=paragraph * 10),
        post=True,
    )
    for number in (2, 3):
        chapter_add(
            actor=writer, work=work, data=ChapterInput(text=paragraph * 10, title=f"{number}")
        )
    return work.get_absolute_url()


def _run(path: str, requests: int, mode: str, offset: int) -> tuple[float, float]:
    """(requests per wall-clock second, requests per CPU second of this process)."""
    from django.test import Client, override_settings

    enabled = mode != "off"
    with override_settings(POLIS_HITS_ENABLED=enabled):
        client = Client(REMOTE_ADDR="192.0.2.1", HTTP_USER_AGENT="bench")
        client.get(path)  # warm: session, caches, the returning visitor's first hit
        start, cpu_start = time.perf_counter(), time.process_time()
        for n in range(requests):
            if mode == "new":
                # A different visitor each time: a new address, so a new hit to queue.
                client.defaults["REMOTE_ADDR"] = str(ipaddress.IPv4Address(0x0A000000 + offset + n))
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"unexpected status {response.status_code}")
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        return requests / wall, requests / cpu


def _direct_cost(path: str, calls: int) -> tuple[float, float]:
    """Microseconds of CPU per `record_reading` call: (returning visitor, new visitor).

    The part of a page view that hit recording adds, measured alone: far less noisy than the
    difference of two page throughputs on a busy machine.
    """
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory, override_settings

    from polis.engagement.reading import record_reading
    from polis.works.models import Work

    work = Work.objects.get(pk=int(path.rsplit("/", 1)[-1]))
    factory = RequestFactory()
    requests = []
    for n in range(calls):
        request = factory.get(path, REMOTE_ADDR=str(ipaddress.IPv4Address(0xAC100000 + n)))
        request.user = AnonymousUser()
        requests.append(request)
    costs = []
    with override_settings(POLIS_HITS_FLUSH_AT=10**9):  # flushes are timed by the page runs
        for batch in ([requests[0]] * calls, requests):
            record_reading(batch[0], work, chapter=None, creator=False)
            start = time.process_time()
            for request in batch:
                record_reading(request, work, chapter=None, creator=False)
            costs.append((time.process_time() - start) / calls * 1_000_000)
    return costs[0], costs[1]


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        commit = "?"
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, commit {commit}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--block", type=int, default=25, help="requests per block")
    parser.add_argument("--cycles", type=int, default=120, help="blocks per mode")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="polis-bench-hits-") as data_dir:
        _setup(data_dir)
        from django.conf import settings
        from django.db import connection

        from polis.engagement.hits import hits_flush
        from polis.works.models import Work

        path = _work_path()
        print(f"Machine: {_machine()}")
        print(
            f"Database: {connection.vendor} {connection.Database.sqlite_version}; cache: "
            f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; flush every "
            f"{settings.POLIS_HITS_FLUSH_AT} hits or "
            f"{settings.POLIS_HITS_FLUSH_SECONDS:g} s"
        )
        print(f"Page: {path}, {args.cycles} blocks of {args.block} requests per mode\n")
        modes = ("off", "repeat", "new")
        wall: dict[str, list[float]] = {mode: [] for mode in modes}
        cpu: dict[str, list[float]] = {mode: [] for mode in modes}
        offset = 0
        for cycle in range(args.cycles):
            # Short blocks, the order rotating: each mode is compared with the "off" block
            # run moments before or after it, so the machine's drifting load cancels out.
            for mode in modes[cycle % 3 :] + modes[: cycle % 3]:
                rate, cpu_rate = _run(path, args.block, mode, offset)
                wall[mode].append(rate)
                cpu[mode].append(cpu_rate)
                offset += args.block
            if (cycle + 1) % max(args.cycles // 6, 1) == 0:
                print(
                    f"cycle {cycle + 1:>4}: "
                    + ", ".join(f"{mode} {cpu[mode][-1]:.0f}/cpu-s" for mode in modes)
                )
        hits_flush(everything=True)
        hits = Work.objects.get(pk=int(path.rsplit("/", 1)[-1])).hit_count
        repeat_us, new_us = _direct_cost(path, 5000)
        hits_flush(everything=True)

        print(f"\n{'mode':<8}{'req/CPU-s':>11}{'vs off':>9}{'req/s (wall)':>15}{'vs off':>9}")
        ratios = {}
        for mode in modes:
            # The median of the paired ratios (each block against its cycle's "off" block).
            cpu_ratio = statistics.median(c / o for c, o in zip(cpu[mode], cpu["off"], strict=True))
            wall_ratio = statistics.median(
                w / o for w, o in zip(wall[mode], wall["off"], strict=True)
            )
            ratios[mode] = cpu_ratio
            print(
                f"{mode:<8}{statistics.median(cpu[mode]):>11.1f}{(cpu_ratio - 1) * 100:>+8.1f}%"
                f"{statistics.median(wall[mode]):>15.1f}{(wall_ratio - 1) * 100:>+8.1f}%"
            )
        base_cpu = statistics.median(cpu["off"])
        # The returning visitor of "repeat" (and the warm-up requests) count once; every
        # request of "new" is a new visitor.
        expected = args.cycles * args.block + 1
        print(f"\nHits counted: {hits} (expected {expected})")
        page_us = 1_000_000 / base_cpu
        print(
            f"Direct cost of record_reading: {repeat_us:.0f} µs (returning visitor), "
            f"{new_us:.0f} µs (new visitor, queued) of CPU, against {page_us:.0f} µs of CPU "
            f"per page: {repeat_us / page_us * 100:.2f} % and {new_us / page_us * 100:.2f} %"
        )
        page_cost = max((1 - min(ratios["repeat"], ratios["new"])) * 100, 0)
        direct_cost = max(repeat_us, new_us) / page_us * 100
        print(
            f"Throughput lost to hit recording: {page_cost:.1f} % (paired page medians), "
            f"{direct_cost:.2f} % (measured directly)"
        )
        if page_cost > 10 and direct_cost > 10:
            print("FAIL: hit recording costs more than 10 % of the page's throughput")
            sys.exit(1)
        print("OK: hit recording costs less than 10 % of the page's throughput")


if __name__ == "__main__":
    main()
