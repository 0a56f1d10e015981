"""Periodic jobs: what the task worker runs on a schedule, never on the request path.

Each app registers its own jobs from its AppConfig.ready (the hook pattern of ADR 0003), so
core, at the bottom of the layering, never imports the apps that own the work:

    periodic.register("hits.flush", every=lambda: settings.POLIS_HITS_FLUSH_SECONDS,
                      run=hits.hits_flush_all)

`polis worker` (polis.core.worker) calls `due_jobs` between tasks and runs each due job in
its own try block: one failing job is logged and retried at its next time, the rest go on.
Jobs must be safe to run twice and safe to run on several workers at once (each guards
itself, for instance with a cache lock or a conditional UPDATE).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Job:
    name: str
    every: Callable[[], float]  # seconds between runs, read each time (settings may change)
    run: Callable[[], object]
    next_at: float = field(default=0.0)


_jobs: dict[str, Job] = {}


def register(
    name: str,
    *,
    every: Callable[[], float] | float,
    run: Callable[[], object],
    start_after: float = 0.0,
) -> None:
    """Run `run` every `every` seconds in the task worker (registering twice replaces);
    the first run comes `start_after` seconds after the worker starts."""
    interval = every if callable(every) else (lambda: float(every))
    _jobs[name] = Job(name=name, every=interval, run=run, next_at=time.monotonic() + start_after)


def jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def due_jobs(now: float | None = None) -> list[Job]:
    """The jobs whose time has come; each is rescheduled from now (no catch-up bursts)."""
    now = time.monotonic() if now is None else now
    due = []
    for job in jobs():
        interval = max(float(job.every()), 1.0)
        if job.next_at <= now:
            due.append(job)
            job.next_at = now + interval
    return due
