"""The database backends: one SQL builder, with the engine-specific parts in two subclasses.

SQLite matches filter sets through the indexed `tags_filtertagging` table and text through
FTS5; PostgreSQL through the GIN-indexed `filter_tags int[]` and `document tsvector`
columns of `search_workdoc`.
"""

import json
from dataclasses import dataclass

from django.db import connection

from polis.search.backends.querysql import QuerySql
from polis.search.query import SORT_COLUMNS, Range, Sort, WorkFilter, query_tree
from polis.search.querylang import And, Node, Text, is_conjunct, rank_tree, walk

FACETS_PER_TYPE = 10


@dataclass
class Sql:
    joins: list[str]
    where: list[str]
    params: list
    rank: str | None = None  # an expression ranking text matches, best first
    rank_params: tuple = ()
    join_params: tuple = ()  # parameters of `joins`, which come before `where`'s


class SqlBackend(QuerySql):
    """Builds and runs the listing query; subclasses supply tags and text."""

    vendor = ""

    # --- engine-specific pieces ------------------------------------------------------------
    def tag_conditions(self, f: WorkFilter, sql: Sql) -> None:
        raise NotImplementedError

    def rank_join(self, node: Node, sql: Sql, *, conjunct: bool) -> None:
        """Rank by how well works match this text (`conjunct`: every match matches it)."""
        raise NotImplementedError

    def rank_is_exact(self, node: Node) -> bool:
        """Whether a conjunct rank's condition is exactly the text's (not looser)."""
        return True

    def facet_sql(self, inner: str) -> str:
        raise NotImplementedError

    def work_id_condition(self, work_ids: list[int], sql: Sql) -> None:
        """Only these works: one parameter however many ids (no limit on placeholders)."""
        raise NotImplementedError

    # --- shared ----------------------------------------------------------------------------
    def build(self, f: WorkFilter, *, ranked: bool = False) -> Sql:
        sql = Sql(joins=[], where=[], params=[])
        if not f.include_restricted:
            sql.where.append("d.restricted = %s")
            sql.params.append(False)
        self.tag_conditions(f, sql)
        if f.work_ids is not None:
            self.work_id_condition(sorted(set(f.work_ids)), sql)
        for tag_id in f.direct_tags:
            sql.where.append(
                "EXISTS (SELECT 1 FROM works_tagging dt"
                " WHERE dt.tag_id = %s AND dt.work_id = d.work_id)"
            )
            sql.params.append(tag_id)
        if f.exclude_direct_tags:
            placeholders = ", ".join(["%s"] * len(f.exclude_direct_tags))
            sql.where.append(
                "NOT EXISTS (SELECT 1 FROM works_tagging xt"
                f" WHERE xt.work_id = d.work_id AND xt.tag_id IN ({placeholders}))"
            )
            sql.params.extend(f.exclude_direct_tags)
        if f.complete is not None:
            sql.where.append("d.complete = %s")
            sql.params.append(f.complete)
        if f.crossover is not None:
            sql.where.append("d.crossover = %s")
            sql.params.append(f.crossover)
        if f.single_chapter:
            sql.where.append("d.chapter_count = 1")
        if f.language:
            sql.where.append("d.language = %s")
            sql.params.append(f.language)
        for column, value in (
            ("word_count", f.words),
            ("hit_count", f.hits),
            ("kudos_count", f.kudos),
            ("comment_count", f.comments),
            ("bookmark_count", f.bookmarks),
        ):
            self._range(sql, column, value)
        # Raw SQL gets no field adaptation: SQLite compares the ORM's stored text form.
        if f.revised_from:
            sql.where.append("d.revised_at >= %s")
            sql.params.append(connection.ops.adapt_datetimefield_value(f.revised_from))
        if f.revised_to:
            sql.where.append("d.revised_at < %s")
            sql.params.append(connection.ops.adapt_datetimefield_value(f.revised_to))
        if f.creator_user_id is not None or f.creator_pseud_id is not None or f.creators:
            self._creators(f, sql)
        if f.hidden_creator_ids:
            placeholders = ", ".join(["%s"] * len(f.hidden_creator_ids))
            sql.where.append(
                "NOT EXISTS (SELECT 1 FROM works_creatorship hc"
                " JOIN accounts_pseud hp ON hp.id = hc.pseud_id"
                f" WHERE hc.work_id = d.work_id AND hp.user_id IN ({placeholders}))"
            )
            sql.params.extend(f.hidden_creator_ids)
        self.text_conditions(f, sql, ranked=ranked)
        return sql

    def text_conditions(self, f: WorkFilter, sql: Sql, *, ranked: bool) -> None:
        """The query (and title) as conditions; `ranked`: with a rank for best match."""
        tree = query_tree(f)
        if tree is None:
            return
        rank = rank_tree(tree) if ranked else None
        conjunct = rank is not None and is_conjunct(rank, tree)
        if rank is not None:
            self.rank_join(rank, sql, conjunct=conjunct)
        if conjunct and self.rank_is_exact(rank):
            # The rank's condition already asks for the ranked conjuncts: ask for the rest.
            children = tree.children if isinstance(tree, And) and rank != tree else (tree,)
            ranked_parts = rank.children if isinstance(rank, And) and rank != tree else (rank,)
            rest = [child for child in children if child not in ranked_parts]
            if not rest:
                return
            tree = rest[0] if len(rest) == 1 else And(tuple(rest))
        condition, params = self.node_sql(tree)
        sql.where.append(condition)
        sql.params.extend(params)

    @staticmethod
    def _range(sql: Sql, column: str, value: Range) -> None:
        if value.low is not None:
            sql.where.append(f"d.{column} >= %s")
            sql.params.append(value.low)
        if value.high is not None:
            sql.where.append(f"d.{column} <= %s")
            sql.params.append(value.high)

    @staticmethod
    def _creators(f: WorkFilter, sql: Sql) -> None:
        conditions = ["c.work_id = d.work_id", "c.accepted = %s"]
        params: list = [True]
        if f.creator_pseud_id is not None:
            conditions.append("c.pseud_id = %s")
            params.append(f.creator_pseud_id)
        if f.creator_user_id is not None:
            conditions.append("p.user_id = %s")
            params.append(f.creator_user_id)
        if f.creators:
            names = [name.strip().casefold() for name in f.creators.split(",") if name.strip()]
            placeholders = ", ".join(["%s"] * len(names))
            conditions.append(
                f"(LOWER(p.name) IN ({placeholders}) OR LOWER(u.username) IN ({placeholders}))"
            )
            params.extend(names + names)
        # A creator's pages and name searches never list their anonymous works (the rule's
        # `can_see_creators`, polis.works.visibility; `works_work_anonymous` indexes it).
        sql.where.append("d.work_id NOT IN (SELECT aw.id FROM works_work aw WHERE aw.anonymous)")
        sql.where.append(
            "EXISTS (SELECT 1 FROM works_creatorship c"
            " JOIN accounts_pseud p ON p.id = c.pseud_id"
            " JOIN accounts_user u ON u.id = p.user_id"
            f" WHERE {' AND '.join(conditions)})"
        )
        sql.params.extend(params)

    def _from(self, sql: Sql) -> tuple[str, list]:
        where = " AND ".join(sql.where) or "1 = 1"
        source = f"search_workdoc d {' '.join(sql.joins)} WHERE {where}"
        return source, [*sql.join_params, *sql.params]

    def search(self, f: WorkFilter, *, offset: int, limit: int) -> tuple[list[int], int]:
        """The ids of one page of matching works, in order, and the number of matches."""
        ranked = f.sort == Sort.BEST and f.has_text
        sql = self.build(f, ranked=ranked)
        source, params = self._from(sql)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {source}", params)
            total = cursor.fetchone()[0]
            if total == 0 or offset >= total:
                return [], total
            direction = "DESC" if f.descending else "ASC"
            if ranked and sql.rank:
                # `rank` orders best first; an ascending sort lists the weakest matches first.
                rank = sql.rank
                if not f.descending:
                    rank = rank[: -len(" DESC")] if rank.endswith(" DESC") else f"{rank} DESC"
                order = f"{rank}, d.revised_at {direction}, d.work_id {direction}"
                params = [*params, *sql.rank_params]
            else:
                column = SORT_COLUMNS.get(f.sort, "revised_at")
                order = f"d.{column} {direction}, d.work_id {direction}"
            cursor.execute(
                f"SELECT d.work_id FROM {source} ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()], total

    def text_matches(self, f: WorkFilter, *, within_tag: int | None = None) -> dict[int, float]:
        """Work id → relevance (smaller is better) of the works matching the query's ranked
        text (`querylang.rank_tree`), as best match orders them.

        `within_tag` narrows the matches to one tag's works, so a common word on a tag page
        reads only that tag's works.
        """
        rank = rank_tree(query_tree(f))
        if rank is None:
            return {}
        sql = Sql(joins=[], where=[], params=[])
        self.rank_join(rank, sql, conjunct=True)
        if within_tag is not None:
            self.tag_conditions(WorkFilter(include_tags=[within_tag]), sql)
        expression = sql.rank.replace(" DESC", "")
        sign = -1.0 if sql.rank.endswith("DESC") else 1.0
        source, params = self._from(sql)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.work_id, {expression} FROM {source}", [*sql.rank_params, *params]
            )
            return {work_id: sign * float(score) for work_id, score in cursor.fetchall()}

    def facets(self, f: WorkFilter) -> list[tuple[int, str, int]]:
        """(tag id, tag type, count) of the most frequent filter tags of the matches, per type."""
        sql = self.build(f)
        source, params = self._from(sql)
        counts = self.facet_sql(f"SELECT d.work_id FROM {source}")
        query = f"""
            SELECT tag_id, type, n FROM (
                SELECT c.tag_id, t.type, c.n,
                       ROW_NUMBER() OVER (PARTITION BY t.type ORDER BY c.n DESC, t.id) AS r
                FROM ({counts}) c JOIN tags_tag t ON t.id = c.tag_id
            ) ranked WHERE r <= %s ORDER BY type, n DESC
        """
        with connection.cursor() as cursor:
            cursor.execute(query, [*params, FACETS_PER_TYPE])
            return [(tag_id, tag_type, n) for tag_id, tag_type, n in cursor.fetchall()]


class SqliteBackend(SqlBackend):
    vendor = "sqlite"

    def tag_conditions(self, f: WorkFilter, sql: Sql) -> None:
        for index, tag_id in enumerate(f.include_tags):
            if index == 0:
                # Drive the query from the filter table's (tag_id, work_id) key.
                sql.joins.append("JOIN tags_filtertagging f0 ON f0.work_id = d.work_id")
                sql.where.insert(0, "f0.tag_id = %s")
                sql.params.insert(0, tag_id)
            else:
                sql.where.append(
                    "EXISTS (SELECT 1 FROM tags_filtertagging fi"
                    " WHERE fi.tag_id = %s AND fi.work_id = d.work_id)"
                )
                sql.params.append(tag_id)
        if f.exclude_tags:
            placeholders = ", ".join(["%s"] * len(f.exclude_tags))
            sql.where.append(
                "NOT EXISTS (SELECT 1 FROM tags_filtertagging fx"
                f" WHERE fx.tag_id IN ({placeholders}) AND fx.work_id = d.work_id)"
            )
            sql.params.extend(f.exclude_tags)

    def work_id_condition(self, work_ids: list[int], sql: Sql) -> None:
        sql.where.append("d.work_id IN (SELECT value FROM json_each(%s))")
        sql.params.append(json.dumps(work_ids))

    def groups_text(self) -> bool:
        return True

    @staticmethod
    def fts(node: Node) -> str:
        """An FTS5 expression for a tree of text leaves (querylang.Text, AND, OR)."""
        if isinstance(node, Text):
            phrase = '"' + " ".join(node.words) + '"' + (" *" if node.prefix else "")
            return f"{node.field} : {phrase}" if node.field else phrase
        joiner = " AND " if isinstance(node, And) else " OR "
        return "(" + joiner.join(SqliteBackend.fts(child) for child in node.children) + ")"

    def text_sql(self, node: Node) -> tuple[str, list]:
        return (
            "d.work_id IN (SELECT rowid FROM search_workfts WHERE search_workfts MATCH %s)",
            [self.fts(node)],
        )

    def rank_join(self, node: Node, sql: Sql, *, conjunct: bool) -> None:
        weights = "bm25(search_workfts, 10.0, 4.0, 2.0, 4.0, 8.0, 1.0)"
        if conjunct:
            sql.joins.append("JOIN search_workfts ON search_workfts.rowid = d.work_id")
            sql.where.append("search_workfts MATCH %s")
            sql.params.append(self.fts(node))
            sql.rank = weights
        else:
            # Works matching the query without this text rank after those matching it.
            sql.joins.append(
                f"LEFT JOIN (SELECT rowid AS rid, {weights} AS score FROM search_workfts"
                " WHERE search_workfts MATCH %s) r ON r.rid = d.work_id"
            )
            sql.join_params = (*sql.join_params, self.fts(node))
            sql.rank = "COALESCE(r.score, 0)"

    def node_ids(self, node: Node) -> list[int]:
        """Text read straight off FTS5 (no joins): reading the doclist and intersecting in
        the accelerator beats asking SQLite to intersect with a tag."""
        if not self.pure_text(node):
            return super().node_ids(node)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM search_workfts WHERE search_workfts MATCH %s", [self.fts(node)]
            )
            return [row[0] for row in cursor.fetchall()]

    def facet_sql(self, inner: str) -> str:
        return (
            "SELECT ft.tag_id, COUNT(*) AS n FROM tags_filtertagging ft"
            f" WHERE ft.work_id IN ({inner}) GROUP BY ft.tag_id"
        )


class PostgresBackend(SqlBackend):
    vendor = "postgresql"

    def tag_conditions(self, f: WorkFilter, sql: Sql) -> None:
        if f.include_tags:
            sql.where.append("d.filter_tags @> %s::integer[]")
            sql.params.append(sorted(set(f.include_tags)))
        if f.exclude_tags:
            sql.where.append("NOT (d.filter_tags && %s::integer[])")
            sql.params.append(sorted(set(f.exclude_tags)))

    def work_id_condition(self, work_ids: list[int], sql: Sql) -> None:
        sql.where.append("d.work_id = ANY(%s::integer[])")
        sql.params.append(work_ids)

    # Field → (tsvector column, weight): see polis.search.indexing.
    FIELDS = {
        "": ("document", ""),
        "title": ("document", "A"),
        "summary": ("fields", "A"),
        "notes": ("fields", "B"),
        "creators": ("fields", "C"),
    }

    @classmethod
    def tsquery(cls, node: Text, *, ranking: bool = False) -> tuple[str, str]:
        """(column, tsquery) for a text leaf; `ranking`: always against `document`."""
        column, weight = cls.FIELDS[node.field]
        if ranking and column != "document":
            column, weight = "document", ""
        lexemes = [f"'{word}'" for word in node.words]
        if node.prefix:
            lexemes[-1] += ":*" + weight
        elif weight:
            lexemes[-1] += ":" + weight
        lexemes[:-1] = [f"{lexeme}:{weight}" if weight else lexeme for lexeme in lexemes[:-1]]
        return column, "(" + " <-> ".join(lexemes) + ")"

    def text_sql(self, node: Node) -> tuple[str, list]:
        column, query = self.tsquery(node)
        return f"d.{column} @@ to_tsquery('simple', %s)", [query]

    @classmethod
    def rank_query(cls, node: Node) -> str:
        if isinstance(node, Text):
            return cls.tsquery(node, ranking=True)[1]
        joiner = " & " if isinstance(node, And) else " | "
        return "(" + joiner.join(cls.rank_query(child) for child in node.children) + ")"

    def rank_is_exact(self, node: Node) -> bool:
        # Summary, notes and creators rank against `document`, where they are not apart.
        return all(self.FIELDS[leaf.field][0] == "document" for leaf, _ in walk(node))

    def rank_join(self, node: Node, sql: Sql, *, conjunct: bool) -> None:
        query = self.rank_query(node)
        if conjunct:
            sql.where.append("d.document @@ to_tsquery('simple', %s)")
            sql.params.append(query)
            sql.rank = "ts_rank(d.document, to_tsquery('simple', %s)) DESC"
            sql.rank_params = (query,)
        else:
            sql.rank = (
                "(CASE WHEN d.document @@ to_tsquery('simple', %s)"
                " THEN ts_rank(d.document, to_tsquery('simple', %s)) ELSE 0 END) DESC"
            )
            sql.rank_params = (query, query)

    def facet_sql(self, inner: str) -> str:
        return (
            "SELECT ft.tag_id, COUNT(*) AS n FROM ("
            f"SELECT unnest(d2.filter_tags) AS tag_id FROM search_workdoc d2"
            f" WHERE d2.work_id IN ({inner})) ft GROUP BY ft.tag_id"
        )


def get_backend() -> SqlBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SqliteBackend()
