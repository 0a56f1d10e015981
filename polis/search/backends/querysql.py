"""The query language's tree (polis.search.querylang) as SQL conditions on `search_workdoc d`.

Shared by both SQL backends: counts, dates, flags, languages and tag names are the same SQL
on both; full-text leaves are the engine's own (FTS5 MATCH on SQLite, tsquery on
PostgreSQL), supplied by the backend's `text_sql`.
"""

import datetime

from django.db import connection

from polis.search.querylang import (
    And,
    Between,
    Flag,
    Language,
    Node,
    Not,
    Or,
    TagName,
    Text,
)

COLUMNS = {
    "word_count": "word_count",
    "hits": "hit_count",
    "kudos_count": "kudos_count",
    "comments_count": "comment_count",
    "bookmarks_count": "bookmark_count",
}
_EPOCH = datetime.date(1970, 1, 1)


def _like_prefix(key: str) -> str:
    return key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class QuerySql:
    """Mixed into SqlBackend: `node_sql` turns a tree into one condition and its parameters."""

    def text_sql(self, node: Node) -> tuple[str, list]:
        """A condition for a full-text leaf (or, where the engine can, a whole subtree of
        them: `pure_text` says which)."""
        raise NotImplementedError

    def groups_text(self) -> bool:
        """Whether `text_sql` takes whole AND/OR subtrees of text leaves at once."""
        return False

    @staticmethod
    def pure_text(node: Node) -> bool:
        if isinstance(node, Text):
            return True
        return isinstance(node, And | Or) and all(QuerySql.pure_text(c) for c in node.children)

    def node_sql(self, node: Node) -> tuple[str, list]:
        if isinstance(node, Text) or (self.groups_text() and self.pure_text(node)):
            return self.text_sql(node)
        if isinstance(node, And | Or):
            parts = [self.node_sql(child) for child in node.children]
            joiner = " AND " if isinstance(node, And) else " OR "
            return (
                "(" + joiner.join(sql for sql, _ in parts) + ")",
                [param for _, params in parts for param in params],
            )
        if isinstance(node, Not):
            sql, params = self.node_sql(node.child)
            return f"NOT COALESCE({sql}, FALSE)", params
        if isinstance(node, Between):
            return self._between(node)
        if isinstance(node, Flag):
            return f"d.{node.field} = %s", [node.value]
        if isinstance(node, Language):
            return "d.language = %s", [node.code]
        if isinstance(node, TagName):
            return self._tag_name(node)
        raise TypeError(node)

    @staticmethod
    def _between(node: Between) -> tuple[str, list]:
        conditions, params = [], []
        if node.field == "revised_at":
            column, upper = "revised_at", "<"

            def value(n: int):
                moment = datetime.datetime.fromtimestamp(n, datetime.UTC)
                return connection.ops.adapt_datetimefield_value(moment)
        elif node.field == "created_at":
            column, upper = "published_at", "<="

            def value(n: int):
                return connection.ops.adapt_datefield_value(_EPOCH + datetime.timedelta(days=n))
        else:
            column, upper = COLUMNS[node.field], "<="

            def value(n: int):
                return n

        if node.low is not None:
            conditions.append(f"d.{column} >= %s")
            params.append(value(node.low))
        if node.high is not None:
            conditions.append(f"d.{column} {upper} %s")
            params.append(value(node.high))
        return "(" + (" AND ".join(conditions) or "1 = 1") + ")", params

    @staticmethod
    def _tag_name(node: TagName) -> tuple[str, list]:
        """A tag named so on the work as written, or in its filter set: the tag itself or a
        tag one of whose synonyms is named so (so a synonym's name finds its canonical's
        works, and a canonical's finds its sub tags')."""
        if node.prefix:
            match, key = "LIKE %s ESCAPE '\\'", _like_prefix(node.key)
        else:
            match, key = "= %s", node.key
        typed = " AND {alias}.type = %s" if node.tag_type else ""
        type_params = [node.tag_type] if node.tag_type else []
        sql = (
            "(EXISTS (SELECT 1 FROM works_tagging qt JOIN tags_tag qg ON qg.id = qt.tag_id"
            f" WHERE qt.work_id = d.work_id AND qg.key {match}{typed.format(alias='qg')})"
            " OR EXISTS (SELECT 1 FROM tags_filtertagging qf JOIN tags_tag qh ON qh.id = qf.tag_id"
            f" WHERE qf.work_id = d.work_id{typed.format(alias='qh')} AND (qh.key {match}"
            f" OR qh.id IN (SELECT qs.merger_id FROM tags_tag qs WHERE qs.key {match}))))"
        )
        return sql, [key, *type_params, *type_params, key, key]

    def node_ids(self, node: Node) -> list[int]:
        """The ids of the listed works matching this one part of a query (the accelerator
        asks for the parts its arrays do not hold)."""
        sql, params = self.node_sql(node)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT d.work_id FROM search_workdoc d WHERE {sql}", params)
            return [row[0] for row in cursor.fetchall()]
