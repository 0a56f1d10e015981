"""Load: many simulated users read and write a real `polis serve`; nothing acknowledged is lost.

    .venv/bin/python -m bench.load [--users 200] [--seconds 60] [--works 20000] [--accounts 300]

Builds a fresh archive (an SQLite file in a temporary directory; with DATABASE_URL set, a
scratch PostgreSQL database made next to the one it names and dropped afterwards, and Redis
when REDIS_URL is set, under a key prefix of its own), seeds it with `polis bench corpus` and
a few hundred real accounts with passwords and API tokens, and starts the production server,
`polis serve` (Granian and its task worker), on a free port. Then `--users` threads, each a
simulated user with a keep-alive connection and an API token, send requests for `--seconds`:
80 % reads as a guest (work pages, chapters, tag listings with filters, search, downloads),
20 % writes through the API (kudos, comments, bookmarks, new works, new chapters).

Every write the server acknowledged (with the id it returned) is recorded. After a graceful
stop and a hits flush it checks that each is in the database, that every work's kudos,
comment, bookmark and hit counters agree with its rows, and runs `polis doctor` (counters,
filter sets, word counts, the search index). It prints requests, errors, p50/p99 latency
per kind and the writes verified, and exits 1 on any 5xx answer, lost write or wrong counter.
"""

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode, urlparse, urlunparse

from bench.download_throughput import _machine
from bench.load_scripts import COUNTS, SEED, VERIFY

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-benchmark-password"
WORDS = ["the", "lamp", "sea", "keeper", "night", "storm", "letter", "road", "winter", "garden"]
# (kind, weight in %): 80 reading, 20 writing.
MIX = [
    ("work", 28),
    ("chapter", 14),
    ("tag listing", 16),
    ("search", 14),
    ("download", 8),
    ("kudos", 6),
    ("comment", 5),
    ("bookmark", 4),
    ("post work", 3),
    ("add chapter", 2),
]
WRITES = {"kudos", "comment", "bookmark", "post work", "add chapter"}


@contextmanager
def archive():
    """The environment of a fresh archive; a scratch PostgreSQL database when asked."""
    with tempfile.TemporaryDirectory(prefix="polis-bench-load-") as data_dir:
        env = {**os.environ, "POLIS_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "polis.settings"}
        env.pop("PYTEST_XDIST_WORKER", None)
        env["POLIS_CACHE_PREFIX"] = f"load{uuid.uuid4().hex[:8]}"
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgres"):
            env.pop("DATABASE_URL", None)
            env.pop("REDIS_URL", None)
            yield env
            return
        import psycopg

        name = f"polis_load_{uuid.uuid4().hex[:8]}"
        admin = urlunparse(urlparse(url)._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlunparse(urlparse(url)._replace(path=f"/{name}"))
        try:
            yield env
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    [name],
                )
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def polis(env, *args, data=None, check=True) -> subprocess.CompletedProcess:
    """Run `polis ARGS` in its own process; `data` goes to the file POLIS_LOAD_FILE names."""
    env = dict(env)
    if data is not None or args[0] == "shell":
        env["POLIS_LOAD_FILE"] = str(Path(env["POLIS_DATA_DIR"]) / "load.json")
        if data is not None:
            Path(env["POLIS_LOAD_FILE"]).write_text(json.dumps(data))
    script = args[1] if args[0] == "shell" else None
    command = [sys.executable, "-m", "polis.cli", *(["shell"] if script else args)]
    done = subprocess.run(
        command, cwd=ROOT, env=env, input=script, capture_output=True, text=True, timeout=3600
    )
    if check and done.returncode != 0:
        raise SystemExit(f"polis {args[0]} failed:\n{done.stderr[-3000:]}")
    return done


def shell_json(env, script: str, data=None) -> dict:
    return json.loads(polis(env, "shell", script, data=data).stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(env, port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "polis.cli", "serve", "--host", "127.0.0.1"]
    log = open(Path(env["POLIS_DATA_DIR"]) / "serve.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health")
            if conn.getresponse().status in (200, 503):
                return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise SystemExit("the server did not start within 120 s")


def stop(server: subprocess.Popen) -> None:
    """A graceful stop (SIGTERM to Granian's process group: queued hits are written)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {kind: [] for kind, _ in MIX}
        self.status: dict[str, dict[int, int]] = {kind: {} for kind, _ in MIX}
        self.failures: list[str] = []
        self.acks: dict[str, list] = {k: [] for k in ("kudos", "comments", "bookmarks")}
        self.acks.update(works=[], chapters=[])

    def record(self, kind: str, status: int, seconds: float, note: str = "") -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            self.status[kind][status] = self.status[kind].get(status, 0) + 1
            if (status >= 500 or status == 0) and len(self.failures) < 20:
                self.failures.append(f"{kind}: {status} {note}")

    def add_chapter(self, work_id: int) -> None:
        with self.lock:
            for entry in self.acks["works"]:
                if entry[0] == work_id:
                    entry[1] += 1

    def ack(self, kind: str, value) -> None:
        with self.lock:
            self.acks[kind].append(value)


# The counters COUNTS compares, in its order.
FIELDS = ["kudos_count", "comment_count", "bookmark_count", "hit_count"]


class SimulatedUser(threading.Thread):
    def __init__(self, number, port, token, username, seed, results, deadline) -> None:
        super().__init__(daemon=True)
        self.number, self.port, self.token, self.username = number, port, token, username
        self.seed, self.results, self.deadline = seed, results, deadline
        self.rng = random.Random(number)
        self.conn = None
        self.own_works: list[int] = []
        self.agent = f"load-bench reader {number}"

    def request(self, method: str, path: str, body=None, api=False) -> tuple[int, bytes]:
        headers = {"User-Agent": self.agent}
        if api:
            headers.update(Authorization=f"Bearer {self.token}", Accept="application/json")
        if body is not None:
            body = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):  # once more on a fresh connection when a kept-alive one closed
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt == 2 or method != "GET":
                    raise
        raise AssertionError("unreachable")

    def run(self) -> None:
        kinds = [kind for kind, _ in MIX]
        weights = [weight for _, weight in MIX]
        while time.monotonic() < self.deadline:
            kind = self.rng.choices(kinds, weights)[0]
            if kind == "add chapter" and not self.own_works:
                kind = "post work"  # nothing of one's own to add to yet
            started = time.perf_counter()
            try:
                status, note = self.act(kind)
            except (OSError, http.client.HTTPException) as error:
                status, note = 0, repr(error)
            self.results.record(kind, status, time.perf_counter() - started, note)

    def text(self, words: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(words))

    def act(self, kind: str) -> tuple[int, str]:
        seed, rng = self.seed, self.rng
        work = rng.choice(seed["works"])
        if kind == "work":
            path = f"/works/{work}"
        elif kind == "chapter":
            work, chapter = rng.choice(seed["chapters"])
            path = f"/works/{work}/chapters/{chapter}"
        elif kind == "tag listing":
            tag = rng.choice(seed["fandoms"] + seed["freeforms"])
            query = {
                "work_search[sort_column]": rng.choice(["revised_at", "kudos_count", "hits"]),
                "work_search[complete]": rng.choice(["", "T"]),
                "work_search[words_from]": rng.choice(["", "1000"]),
                "page": rng.choice(["1", "1", "2"]),
            }
            if rng.random() < 0.5:
                query["work_search[freeform_names]"] = rng.choice(seed["freeforms"])
            path = f"/tags/{quote(tag, safe='')}/works?{urlencode(query)}"
        elif kind == "search":
            query = {"work_search[query]": " ".join(rng.sample(WORDS, 2))}
            path = f"/works/search?{urlencode(query)}"
        elif kind == "download":
            path = f"/downloads/{work}/Work.{rng.choice(['html', 'epub'])}"
        else:
            return self.write(kind, work)
        status, body = self.request("GET", path)
        return status, path if status >= 500 else ""

    def write(self, kind: str, work: int) -> tuple[int, str]:
        if kind == "kudos":
            status, body = self.request("POST", f"/api/v1/works/{work}/kudos", {}, api=True)
            if status == 201:
                self.results.ack("kudos", [self.username, work])
        elif kind == "comment":
            payload = {"text": f"<p>{self.text(12)} ({uuid.uuid4().hex[:6]})</p>"}
            status, body = self.request("POST", f"/api/v1/works/{work}/comments", payload, True)
            if status == 201:
                self.results.ack("comments", [json.loads(body)["id"], work])
        elif kind == "bookmark":
            payload = {"notes": f"<p>{self.text(6)}</p>", "private": self.rng.random() < 0.1}
            status, body = self.request("POST", f"/api/v1/works/{work}/bookmarks", payload, True)
            if status == 201:
                self.results.ack("bookmarks", [json.loads(body)["id"], work])
        elif kind == "post work":
            chapters = self.rng.choice([1, 1, 2, 5])
            payload = {
                "title": f"Load {self.number} {uuid.uuid4().hex[:8]}",
                "rating": "General Audiences",
                "warnings": ["No Archive Warnings Apply"],
                "fandoms": [self.rng.choice(self.seed["fandoms"])],
                "freeforms": [self.rng.choice(self.seed["freeforms"])],
                "chapters": [{"text": f"<p>{self.text(300)}</p>"} for _ in range(chapters)],
            }
            status, body = self.request("POST", "/api/v1/works", payload, api=True)
            if status == 201:
                work_id = json.loads(body)["id"]
                self.own_works.append(work_id)
                self.results.ack("works", [work_id, chapters])
        else:
            work = self.rng.choice(self.own_works)
            payload = {"text": f"<p>{self.text(200)}</p>"}
            status, body = self.request("POST", f"/api/v1/works/{work}/chapters", payload, True)
            if status == 201:
                self.results.ack("chapters", [json.loads(body)["id"], work])
                self.results.add_chapter(work)
        return status, body[:300].decode("utf-8", "replace") if status >= 500 else ""


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(results: Results, seconds: float) -> tuple[int, int]:
    total = errors = 0
    print(f"{'kind':<12} {'requests':>8} {'5xx':>5} {'other':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for kind, _ in MIX:
        latency, status = results.latency[kind], results.status[kind]
        fives = sum(n for code, n in status.items() if code >= 500 or code == 0)
        other = {code: n for code, n in status.items() if 300 <= code < 500}
        total += len(latency)
        errors += fives
        print(
            f"{kind:<12} {len(latency):>8} {fives:>5} {sum(other.values()):>6} "
            f"{percentile(latency, 0.5) * 1000:>8.0f} {percentile(latency, 0.99) * 1000:>8.0f}"
            + (f"  {dict(sorted(other.items()))}" if other else "")
        )
    every = [value for values in results.latency.values() for value in values]
    print(
        f"all: {total} requests in {seconds:.0f} s ({total / seconds:.1f}/s), {errors} server "
        f"errors, p50 {statistics.median(every) * 1000:.0f} ms, "
        f"p99 {percentile(every, 0.99) * 1000:.0f} ms"
    )
    for failure in results.failures:
        print("  ", failure)
    return total, errors


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200, help="simulated users at once")
    parser.add_argument("--seconds", type=int, default=60, help="length of the load")
    parser.add_argument("--works", type=int, default=20_000, help="works in the corpus")
    parser.add_argument("--accounts", type=int, default=300, help="accounts with tokens")
    args = parser.parse_args(argv)
    with archive() as env:
        database = "PostgreSQL + Redis" if env.get("DATABASE_URL") else "SQLite"
        if env.get("DATABASE_URL") and not env.get("REDIS_URL"):
            database = "PostgreSQL"
        print(f"{_machine()}; {database}", flush=True)
        began = time.monotonic()
        polis(env, "migrate", "--noinput", "-v0")
        polis(env, "bench", "corpus", "--works", str(args.works))
        seed = shell_json(env, SEED, {"users": args.accounts, "password": PASSWORD})
        before = shell_json(env, COUNTS)
        offsets = json.loads(Path(env["POLIS_DATA_DIR"], "load.json").read_text())
        print(
            f"archive ready in {time.monotonic() - began:.0f} s: {before['works']} works, "
            f"{len(seed['tokens'])} accounts",
            flush=True,
        )
        port = free_port()
        server = serve(env, port)
        results = Results()
        try:
            deadline = time.monotonic() + args.seconds
            users = [
                SimulatedUser(n, port, token, username, seed, results, deadline)
                for n, (username, token) in enumerate(seed["tokens"][: args.users])
            ]
            started = time.monotonic()
            for user in users:
                user.start()
            for user in users:
                user.join()
            elapsed = time.monotonic() - started
        finally:
            stop(server)
        print(f"load: {len(users)} users, {args.seconds} s, {args.works} works", flush=True)
        total, errors = report(results, elapsed)

        log = Path(env["POLIS_DATA_DIR"], "serve.log").read_text(errors="replace")
        tracebacks = log.count("Traceback (most recent call last)")
        print(
            f"server log: {tracebacks} tracebacks, {log.count('database is locked')} "
            "'database is locked'"
        )
        if tracebacks:
            print(log[log.index("Traceback") :][:3000])
        polis(env, "flush_hits")
        verified = shell_json(env, VERIFY, results.acks)
        shell_json(env, COUNTS)
        after = json.loads(Path(env["POLIS_DATA_DIR"], "load.json").read_text())
        drift = [
            f"work {pk}: {field} off by {now[i] - offsets.get(pk, [0] * 4)[i]}"
            for pk, now in after.items()
            for i, field in enumerate(FIELDS)
            if now[i] != offsets.get(pk, [0] * 4)[i]
        ]
        drift += [f"work {pk}: counters now agree with rows" for pk in offsets if pk not in after]
        doctor = polis(env, "doctor", check=False)  # counters, filter sets, index, words
    polis_ok = not (errors or verified["missing_count"] or drift or doctor.returncode)
    acked = {kind: len(values) for kind, values in results.acks.items()}
    print(
        f"acknowledged writes: {acked}; verified {verified['checked'] - verified['missing_count']}"
        f" of {verified['checked']}, missing {verified['missing_count']}"
    )
    for line in verified["missing"]:
        print("   missing:", line)
    print(f"counters (kudos, comments, bookmarks, hits) of every work: {len(drift)} wrong")
    for line in drift[:20]:
        print("   ", line)
    print("doctor:", "; ".join(doctor.stdout.split("\n")).strip("; "))
    if not polis_ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
