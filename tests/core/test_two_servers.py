"""Two app servers on one PostgreSQL and one Redis: what one does, the other shows within 1 s.

Real processes, as docs/deploy.md ("AO3-sized: several app servers") describes them: two
`polis serve --no-worker` on their own ports and their own search-snapshot directories, and
one `polis worker`, on a scratch PostgreSQL database and one Redis database (a key prefix of
their own). A work is posted through server A's API, kudos are left through B, the title is
edited through A; after each change the other server's work page, tag listing (and its count),
search, API and download must show it, and the time is measured from the moment the change's
response came back. Rate limits count across both servers, and a visitor seen by both is one
hit. PostgreSQL only: two servers on one SQLite file would be one machine, not this setup.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest

from tests.processes import run_polis, scratch_postgres

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgres") or not os.environ.get("REDIS_URL"),
    reason="two app servers need a shared database server and Redis (the PostgreSQL leg)",
)

VISIBLE_WITHIN = 1.0  # seconds
WRITE_LIMIT = 6  # POLIS_API_RATE_WRITE for the servers, per hour
POLLER = "two-servers-poller"  # the User-Agent of every check below: one visitor

ACCOUNTS = """
from polis.accounts.models import User
from polis.api.actions import token_create
for name in ["author", "reader", "hammer"]:
    user = User.objects.create_user(name, f"{name}@example.org", "pw-long-enough-1")
    print(name, token_create(actor=user, name="two servers")[1])
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, base: str) -> None:
        self.base = base

    def request(self, method: str, path: str, *, token: str = "", body=None, agent=POLLER):
        headers = {"User-Agent": agent}
        data = None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def get(self, path: str, **kwargs) -> tuple[int, str]:
        return self.request("GET", path, **kwargs)


@pytest.fixture
def cluster(tmp_path):
    with scratch_postgres(DATABASE_URL, "polis_two", migrated=True) as database_url:
        yield from _cluster(tmp_path, database_url)


def _cluster(tmp_path, database_url: str):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "polis.settings",
        "DATABASE_URL": database_url,
        # Shared by every server, as on NFS: media, exports, downloads built by the worker.
        "POLIS_DATA_DIR": str(tmp_path / "shared"),
        "POLIS_SECRET_KEY": "two-servers-" + uuid.uuid4().hex,
        "POLIS_CACHE_PREFIX": f"two-{uuid.uuid4().hex[:8]}",
        "POLIS_API_RATE_WRITE": f"{WRITE_LIMIT}/h",
        "POLIS_API_RATE_READ": "100000/m",
        "POLIS_HITS_FLUSH_SECONDS": "3600",  # the test flushes when it wants to
        "POLIS_WEB_THREADS": "2",
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    processes: list[subprocess.Popen] = []

    def polis(*args, stdin: str | None = None) -> str:
        return run_polis(env, *args, stdin=stdin).stdout

    def start(*args, snapshots: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "polis.cli", *args],
            env={**env, "POLIS_SEARCH_SNAPSHOT_DIR": str(tmp_path / snapshots)},
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / f"{snapshots}.log", "w"),  # noqa: SIM115
        )
        processes.append(process)
        return process

    try:
        tokens = dict(line.split() for line in polis("shell", stdin=ACCOUNTS).split("\n")[-4:-1])
        servers = []
        for name in ["a", "b"]:
            port = free_port()
            start("serve", "--no-worker", "--port", str(port), "--workers", "1", snapshots=name)
            servers.append(Server(f"http://127.0.0.1:{port}"))
        start("worker", "--interval", "0.2", snapshots="worker")
        deadline = time.monotonic() + 120
        for server in servers:
            while True:
                try:
                    if server.get("/health")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, (tmp_path / "a.log").read_text()[-3000:]
                time.sleep(0.2)
        yield servers, tokens, polis
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def seen_within(checks: dict, since: float, *, give_up: float = 10.0) -> dict[str, float]:
    """Poll each check on its own thread until it holds: how long after `since` each first
    held (the end of the request that saw it), so slow checks do not delay the others."""
    waited: dict[str, float] = {}

    def poll(name: str, check) -> None:
        while time.monotonic() - since < give_up:
            if check():
                waited[name] = time.monotonic() - since
                return
            time.sleep(0.01)

    with ThreadPoolExecutor(len(checks)) as pool:
        for name, check in checks.items():
            pool.submit(poll, name, check)
    return waited


def assert_all_within(checks: dict, since: float) -> None:
    waited = seen_within(checks, since)
    print({name: round(seconds, 3) for name, seconds in waited.items()})
    assert set(waited) == set(checks), f"never seen: {sorted(set(checks) - set(waited))}"
    slow = {name: round(seconds, 3) for name, seconds in waited.items() if seconds > VISIBLE_WITHIN}
    assert not slow, f"seen later than {VISIBLE_WITHIN} s: {slow} (all: {waited})"


def work_body(title: str) -> dict:
    return {
        "title": title,
        "summary": "Two servers, one archive.",
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": ["Twin Servers (Band)"],
        "freeforms": ["Load Balancing"],
        "chapters": [{"title": "One", "text": "<p>Lighthouse keepers trade letters.</p>"}],
    }


def listing_count(page: str) -> int:
    """The count in a listing's heading ("1 - 2 of 2 Works in …" or "1 Work in …")."""
    heading = re.search(r"<h1 class=\"heading\">(.*?)</h1>", page, re.S)
    found = re.search(r"([0-9,]+) Works?\b", heading.group(1) if heading else "")
    return int(found.group(1).replace(",", "")) if found else 0


def test_two_app_servers_share_changes_limits_and_hits(cluster):
    (a, b), tokens, polis = cluster
    tag_works = "/tags/" + quote("Twin Servers (Band)") + "/works"
    search = "/works/search?work_search%5Bquery%5D=Lighthouse"

    # A work already on both servers' pages, so what follows is a change, not a first load.
    status, body = a.request(
        "POST", "/api/v1/works", token=tokens["author"], body=work_body("Old Beacon")
    )
    assert status == 201, body
    for server in (a, b):
        assert listing_count(server.get(tag_works)[1]) == 1

    # 1. Posted through A: B's work page, tag listing and count, search, API, download.
    status, body = a.request(
        "POST", "/api/v1/works", token=tokens["author"], body=work_body("Harbour Lights")
    )
    posted = time.monotonic()
    assert status == 201, body
    work_id = json.loads(body)["id"]
    download = f"/downloads/{work_id}/Harbour_Lights.html"
    assert_all_within(
        {
            "work page": lambda: "Harbour Lights" in b.get(f"/works/{work_id}")[1],
            "tag listing": lambda: (
                "Harbour Lights" in (page := b.get(tag_works)[1]) and listing_count(page) == 2
            ),
            "search": lambda: "Harbour Lights" in b.get(search)[1],
            "api": lambda: b.get(f"/api/v1/works/{work_id}")[0] == 200,
            "download": lambda: "Harbour Lights" in b.get(download)[1],
        },
        posted,
    )

    # 2. Kudos through B: the count on A's work page, API and tag listing blurb.
    status, body = b.request("POST", f"/api/v1/works/{work_id}/kudos", token=tokens["reader"])
    given = time.monotonic()
    assert status == 201, body
    assert json.loads(body)["kudos"] == 1
    assert_all_within(
        {
            "api": lambda: json.loads(a.get(f"/api/v1/works/{work_id}")[1])["stats"]["kudos"] == 1,
            "kudos list": lambda: "reader" in a.get(f"/api/v1/works/{work_id}/kudos")[1],
            "work page": lambda: (
                re.search(r'<dd class="kudos">\s*1\s*</dd>', a.get(f"/works/{work_id}")[1])
                is not None
            ),
            "tag listing blurb": lambda: '<dd class="kudos">1</dd>' in a.get(tag_works)[1],
        },
        given,
    )

    # 3. The title edited through A: everything on B follows, the download's content included.
    b.get(download)  # twice: B may now send it to guests from its pointer
    assert "Harbour Lights" in b.get(download)[1]
    status, body = a.request(
        "PATCH", f"/api/v1/works/{work_id}", token=tokens["author"], body={"title": "Storm Lamp"}
    )
    edited = time.monotonic()
    assert status == 200, body
    assert_all_within(
        {
            "work page": lambda: "Storm Lamp" in b.get(f"/works/{work_id}")[1],
            "tag listing": lambda: (
                "Storm Lamp" in (page := b.get(tag_works)[1])
                and "Harbour Lights" not in page
                and listing_count(page) == 2
            ),
            "search": lambda: (
                "Storm Lamp" in (page := b.get(search)[1]) and "Harbour Lights" not in page
            ),
            "api": lambda: (
                json.loads(b.get(f"/api/v1/works/{work_id}")[1])["title"] == "Storm Lamp"
            ),
            "download": lambda: (
                "Storm Lamp" in (text := b.get(download)[1]) and "Harbour Lights" not in text
            ),
        },
        edited,
    )

    # 4. Rate limits are counted across servers, not per process.
    if time.time() % 3600 > 3600 - 30:  # the hour's window is about to turn over
        time.sleep(3600 - time.time() % 3600 + 1)
    answers = [
        (a, b)[i % 2].request("DELETE", "/api/v1/works/999999999", token=tokens["hammer"])[0]
        for i in range(WRITE_LIMIT + 2)
    ]
    assert answers == [404] * WRITE_LIMIT + [429, 429]

    # 5. One visitor seen by both servers is one hit: the poller (on both), one reader on
    # both, another on B only.
    for server, agent in [(a, "reader-one"), (b, "reader-one"), (b, "reader-two"), (a, POLLER)]:
        assert server.get(f"/works/{work_id}", agent=agent)[0] == 200
    assert polis("flush_hits").strip() == "Counted 3 new hit(s)."
    flushed = time.monotonic()
    assert_all_within(
        {
            f"{name} api": lambda server=server: (
                json.loads(server.get(f"/api/v1/works/{work_id}")[1])["stats"]["hits"] == 3
            )
            for name, server in [("a", a), ("b", b)]
        },
        flushed,
    )
