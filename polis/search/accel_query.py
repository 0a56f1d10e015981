"""The accelerator's answer to a query-language tree (polis.search.querylang).

Counts, dates, flags and languages are masks over the arrays; every other leaf (text, tag
names) is asked of the SQL backend once (`SqlParts`), and checked against the candidate works
by binary search. The SQL backends answer the same tree and are the reference
(tests/search_accel/test_query_parity.py).
"""

import numpy as np

from polis.search import querylang as ql


def _sorted_ids(work_ids: list[int]) -> np.ndarray:
    return np.unique(np.fromiter(work_ids, np.int64, len(work_ids)))


_COUNTED = {
    "word_count": "words",
    "hits": "hits",
    "kudos_count": "kudos",
    "comments_count": "comments",
    "bookmarks_count": "bookmarks",
}


def _sql_last(node: ql.Node) -> bool:
    """Array parts first: they narrow the works before SQL is asked about the rest."""
    return not all(
        isinstance(leaf, ql.Between | ql.Flag | ql.Language) for leaf, _ in ql.walk(node)
    )


class SqlParts:
    """`ids_of` for `matching`: the sorted ids of a part of the query, asked of
    the SQL backend once each (the ids of the ranked text, when known, are reused)."""

    def __init__(self, backend, known: dict | None = None) -> None:
        self.backend = backend
        self.known = dict(known or {})

    def grouped(self, node: ql.Node) -> bool:
        """Whether SQL answers this AND/OR of text in one go (SQLite's one MATCH)."""
        return node in self.known or (self.backend.groups_text() and self.backend.pure_text(node))

    def __call__(self, node: ql.Node) -> np.ndarray:
        if node not in self.known:
            self.known[node] = _sorted_ids(self.backend.node_ids(node))
        return self.known[node]


def matching(accelerator, node: ql.Node, found: np.ndarray, ids_of) -> np.ndarray:
    """Which of these positions match a query tree (a boolean mask over `found`).

    Counts, dates, flags and languages are read off the arrays; every other part (text,
    tag names) is asked of SQL through `ids_of(node)` (sorted work ids). AND narrows the
    works its later parts look at; the depth is the parser's, capped (querylang)."""
    if not len(found):
        return np.zeros(0, bool)
    if isinstance(node, ql.Not):
        return ~matching(accelerator, node.child, found, ids_of)
    if isinstance(node, ql.And | ql.Or) and not ids_of.grouped(node):
        if isinstance(node, ql.And):
            mask = np.ones(len(found), bool)
            for child in sorted(node.children, key=_sql_last):
                inside = np.flatnonzero(mask)
                mask[inside] = matching(accelerator, child, found[inside], ids_of)
        else:
            mask = np.zeros(len(found), bool)
            for child in sorted(node.children, key=_sql_last):
                outside = np.flatnonzero(~mask)
                mask[outside] = matching(accelerator, child, found[outside], ids_of)
        return mask
    cols = accelerator.cols
    if isinstance(node, ql.Between):
        name = {"revised_at": "revised", "created_at": "published"}.get(node.field)
        values = cols[name or _COUNTED[node.field]][found]
        mask = np.ones(len(found), bool)
        scale = 1_000_000 if node.field == "revised_at" else 1  # seconds → the column's µs
        if node.low is not None:
            mask &= values >= node.low * scale
        if node.high is not None and node.field == "revised_at":
            mask &= values < node.high * scale
        elif node.high is not None:
            mask &= values <= node.high
        return mask
    if isinstance(node, ql.Flag):
        return cols[node.field][found] == int(node.value)
    if isinstance(node, ql.Language):
        code = accelerator.languages.get(node.code)
        if code is None:
            return np.zeros(len(found), bool)
        return cols["language"][found] == code
    return accelerator._has_id(found, ids_of(node))
