"""Reading listing pages in tests: the sidebar's facets with their counts, notices, links."""

import re

from django.conf import settings
from django.db import connection
from django.http import HttpResponse

from polis.search import accel
from tests.works.support import parse

_FACET_LABEL = re.compile(r"^(?P<name>.*) \((?P<count>[\d,]+)\)$")


def facet_counts(response: HttpResponse, side: str = "include") -> dict[str, dict[str, int]]:
    """`{"fandom_ids": {"The 100 (TV)": 2}, ...}` from the sidebar's include (or exclude) boxes."""
    page = parse(response)
    labels = {node.get("for"): node.text for node in page.select("form#work-filters label")}
    result: dict[str, dict[str, int]] = {}
    prefix = f"{side}_work_search["
    for box in page.select("form#work-filters input[type=checkbox]"):
        name = box.get("name") or ""
        if not name.startswith(prefix):
            continue
        param = name[len(prefix) :].split("]")[0]
        match = _FACET_LABEL.match(labels[box.get("id")])
        assert match, labels[box.get("id")]
        result.setdefault(param, {})[match["name"]] = int(match["count"].replace(",", ""))
    return result


def notices(response: HttpResponse) -> list[str]:
    return parse(response).texts("ul.notice li")


def error_text(response: HttpResponse) -> str:
    return parse(response).select_one("div.error.notice[role=alert]").text


def page_links(response: HttpResponse) -> list[str]:
    return [a.get("href") for a in parse(response).select("ol.pagination a")]


def warm_search() -> None:
    """Build the accelerator and apply the change log now, as a running server has done
    before a request comes (nothing happens on the SQL backends)."""
    accel.get()


def listing_queries(*, sql: int, accelerated: int) -> int:
    """The pinned query count of a listing on the engine this test runs on.

    `accelerated` counts the accelerator's one look at the change log (on SQLite); on PostgreSQL
    it also re-reads a window of the log, since ids may commit out of order there
    (`Accelerator._window_open`), which is one query more."""
    if not settings.POLIS_SEARCH_ACCEL:
        return sql
    return accelerated + (connection.vendor == "postgresql")
