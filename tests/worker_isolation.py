"""A pytest plugin (loaded with `-p tests.worker_isolation`, see pyproject.toml) that gives each
pytest-xdist worker its own data directory and its own Redis database.

Each worker has its own test database (pytest-django adds the worker's id to its name), so the
same work id means different works in two workers: their download caches, media, mail and
stamp files under POLIS_DATA_DIR must not be shared, and `cache.clear()` (a FLUSHDB on Redis)
in one worker must not wipe the other's rate limits. This runs when the plugin is imported,
before pytest-django reads the settings; outside xdist it changes nothing.
"""

import os
from pathlib import Path
from urllib.parse import urlparse, urlunparse

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", … under xdist


def _isolate(worker: str) -> None:
    index = int(worker.removeprefix("gw"))
    base = Path(os.environ.get("POLIS_DATA_DIR") or Path.cwd() / "var")
    os.environ["POLIS_DATA_DIR"] = str(base / f"xdist-{worker}")
    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url:
        parsed = urlparse(redis_url)
        db = int(parsed.path.strip("/") or 0)
        # Count down from the configured database (CI gives 15): 15, 14, 13, …
        os.environ["REDIS_URL"] = urlunparse(parsed._replace(path=f"/{(db - index) % 16}"))


if WORKER:
    _isolate(WORKER)
