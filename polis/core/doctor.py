"""`polis doctor`: check what the archive derives from its rows, and repair it.

Filter sets, counters and the search index are kept up to date by the actions that change
their rows; a crash, a restore or a hand edit of the database can still leave them wrong.
Each app registers its checks from its AppConfig.ready (as with polis.core.periodic), so
core never imports the apps:

    doctor.register("filter sets", check_filter_sets)

A check takes `repair` and yields `Finding`s: what is wrong, and whether it was repaired.
Checks work in bounded batches of work ids, so they run on an archive of any size.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    check: str
    subject: str  # e.g. "work 12"
    problem: str  # e.g. "kudos_count 4, rows say 5"
    repaired: bool


Check = Callable[[bool], Iterator[Finding]]
_checks: dict[str, Check] = {}
BATCH = 500


def register(name: str, check: Check) -> None:
    _checks[name] = check


def checks() -> dict[str, Check]:
    return dict(sorted(_checks.items()))


def id_batches(queryset, *, desc: str = "", size: int = BATCH) -> Iterator[list[int]]:
    """Primary keys of a queryset in ascending batches, each one bounded query, with a
    progress bar on a terminal."""
    from tqdm import tqdm

    total = queryset.count()
    last = 0
    with tqdm(total=total, desc=desc, unit=" rows", disable=None, leave=False) as bar:
        while True:
            batch = list(
                queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size]
            )
            if not batch:
                return
            yield batch
            bar.update(len(batch))
            last = batch[-1]
