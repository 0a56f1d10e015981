"""Is a cached download served nearly as fast as a static file? Requests per second of both.

    .venv/bin/python bench/download_throughput.py [--seconds 8] [--rounds 4] [--connections 16]

Builds a fresh SQLite archive in a temporary directory with one posted work (three chapters,
about 6,000 words), makes its EPUB once so that it is in the download cache, and writes a file
of random bytes of exactly the same size under STATIC_ROOT. It then starts the production
server, `polis serve` (Granian, two workers, WhiteNoise for static files; no task worker), on a
free port and loads both URLs in turn with `wrk` (Debian's package, installed with apt when
missing), the order alternating between rounds. It prints the requests per second of each
round, the medians and their ratio; the target is a ratio of at least 0.8.

Both URLs are fetched the way a reader's e-book app or downloader fetches them: logged out,
without conditional or compressed requests. wrk runs on the same machine as the server.
"""

import argparse
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.8


def _setup(data_dir: str) -> None:
    os.environ["POLIS_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "polis.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _cached_download() -> tuple[str, int]:
    """Post a work through the actions, make its EPUB once; (its URL, the file's size)."""
    from django.test import Client

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
            summary="<p>Two keepers, one lamp.</p>",
        ),
        chapter=ChapterInput(text=paragraph * 10),
        post=True,
    )
    for number in (2, 3):
        chapter_add(
            actor=writer,
            work=work,
            data=ChapterInput(text=paragraph * 10, title=f"Part {number}"),
            post=True,
        )
    url = f"/downloads/{work.pk}/Benchmark_Lighthouse.epub"
    response = Client().get(url)
    if response.status_code != 200:
        raise SystemExit(f"making the EPUB answered {response.status_code}")
    return url, len(b"".join(response.streaming_content))


def _static_file(size: int) -> str:
    """A file of `size` random bytes in STATIC_ROOT (as collectstatic would leave it)."""
    from django.conf import settings

    folder = Path(settings.STATIC_ROOT) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "same-size.epub").write_bytes(os.urandom(size))
    return f"{settings.STATIC_URL}bench/same-size.epub"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "polis.cli", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--no-worker"]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/bench/same-size.epub"):
                return server
        except OSError:
            time.sleep(0.2)
    _stop(server)
    raise SystemExit("the server did not start within 30 s")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _fetch(url: str) -> tuple[int, int, dict]:
    with urllib.request.urlopen(url) as response:
        headers = {name.lower(): value for name, value in response.headers.items()}
        return response.status, len(response.read()), headers


def _wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        print("Installing Debian's wrk for the load", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
        wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not available")
    return wrk


def _load(wrk: str, url: str, seconds: int, connections: int) -> float:
    """Requests per second that wrk measured; fails on any answer but 2xx/3xx or any error."""
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise SystemExit(f"wrk saw failures on {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{cpu}, {os.cpu_count()} cores, load average {load}, commit {commit or '?'}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8, help="length of one load run")
    parser.add_argument("--rounds", type=int, default=4, help="runs of each URL")
    parser.add_argument("--connections", type=int, default=16, help="wrk's open connections")
    args = parser.parse_args(argv)
    wrk = _wrk()

    with tempfile.TemporaryDirectory(prefix="polis-bench-download-") as data_dir:
        _setup(data_dir)
        download_path, size = _cached_download()
        static_path = _static_file(size)
        port = _free_port()
        server = _serve(port)
        try:
            base = f"http://127.0.0.1:{port}"
            urls = {"static": base + static_path, "download": base + download_path}
            for name, url in urls.items():
                status, length, headers = _fetch(url)
                if (status, length) != (200, size):
                    raise SystemExit(f"{name}: {status}, {length} bytes, expected 200, {size}")
            if "etag" not in headers:
                raise SystemExit("the download was not answered from the cache")
            print(f"{_machine()}")
            print(f"file size {size} bytes; wrk -t2 -c{args.connections} -d{args.seconds}s")
            for url in urls.values():  # every worker thread past its first request
                _load(wrk, url, 2, args.connections)
            rates: dict[str, list[float]] = {"static": [], "download": []}
            for round_number in range(args.rounds):
                order = ["static", "download"] if round_number % 2 == 0 else ["download", "static"]
                for name in order:
                    rates[name].append(_load(wrk, urls[name], args.seconds, args.connections))
                print(
                    f"round {round_number + 1}: static {rates['static'][-1]:8.1f} req/s, "
                    f"download {rates['download'][-1]:8.1f} req/s",
                    flush=True,
                )
        finally:
            _stop(server)

    static, download = statistics.median(rates["static"]), statistics.median(rates["download"])
    ratio = download / static
    paired = statistics.median(
        d / s for d, s in zip(rates["download"], rates["static"], strict=True)
    )
    print(f"median: static {static:.1f} req/s, cached download {download:.1f} req/s")
    print(f"ratio {ratio:.3f} (median of paired rounds {paired:.3f}); target >= {TARGET}")
    if ratio < TARGET:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
