"""Two implementations of one small index interface, chosen by ``connection.vendor``.

Both receive the same tokens from govsite.search.segment and the same parsed query, so they match
the same documents; only the relevance formula differs (FTS5 bm25 vs ts_rank).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from .models import SearchDocument
from .segment import ParsedQuery, Phrase

DOC_TABLE = SearchDocument._meta.db_table
FTS_TABLE = "govsite_search_fts"
# Weighted fields, in FTS5 column order. PostgreSQL keeps four weights: A > B > C > D.
FIELDS = ("title", "summary", "body", "source", "attachments")
PG_WEIGHTS = {"title": "A", "summary": "B", "source": "B", "body": "C", "attachments": "D"}
BM25_WEIGHTS = "10.0, 4.0, 1.0, 3.0, 0.5"
TS_RANK_WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"  # {D, C, B, A}
# Every field is capped so that the whole document stays below PostgreSQL's last position (16,383)
# and phrases stay exact; the same caps apply on SQLite.
FIELD_TOKEN_LIMITS = {"title": 300, "summary": 1500, "source": 100, "body": 8000, "attachments": 6000}
MAX_POSITIONS_PER_LEXEME = 255
# Bounded work per query, whatever the collection size: counts stop at COUNT_CAP ("5000 条以上"), and
# relevance is computed over the RANK_WINDOW most recently indexed matches (reindex writes in date
# order, so these are the newest). Below these numbers everything is exact.
COUNT_CAP = 5000
RANK_WINDOW = 1000
RECENT_SPANS = (30_000,)  # PostgreSQL: newest documents searched first for the window


def _when(value: datetime, tz: Any) -> Any:
    """A local midnight as the database stores datetimes (SQLite: naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(timezone.make_aware(value, tz))


@dataclass
class Filters:
    """What the reader narrowed the search to. Paths are treebeard paths (prefix = subtree)."""

    site_ids: list[int] | None = None
    path_prefix: str = ""
    kinds: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None

    def sql(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.site_ids is not None:
            clauses.append(f"d.site_id IN ({', '.join(['%s'] * len(self.site_ids)) or 'NULL'})")
            params += self.site_ids
        if self.path_prefix:
            # A range instead of LIKE: no escaping, and it can use the index on path.
            clauses.append("d.path >= %s AND d.path < %s")
            params += [self.path_prefix, self.path_prefix + "~"]
        if self.kinds:
            clauses.append(f"d.kind IN ({', '.join(['%s'] * len(self.kinds))})")
            params += self.kinds
        tz = timezone.get_current_timezone()
        if self.date_from:
            clauses.append("d.pub_date >= %s")
            params.append(_when(datetime.combine(self.date_from, time.min), tz))
        if self.date_to:
            clauses.append("d.pub_date < %s")
            params.append(_when(datetime.combine(self.date_to + timedelta(days=1), time.min), tz))
        return "".join(f" AND {c}" for c in clauses), params


class SearchBackend:
    vendor = ""

    def prepare(self, doc: SearchDocument, tokens: dict[str, list[str]]) -> None:
        """Put the segmented fields on an unsaved document, in this backend's storage form."""
        raise NotImplementedError

    def match_expression(self, query: ParsedQuery) -> str:
        raise NotImplementedError

    def search(
        self, query: ParsedQuery, filters: Filters, sort: str = "relevance", offset: int = 0, limit: int = 10
    ) -> list[int]:
        """Ids of matching SearchDocuments, best (or newest) first."""
        raise NotImplementedError

    def count(self, query: ParsedQuery, filters: Filters) -> int:
        """Matches, counted up to COUNT_CAP + 1."""
        raise NotImplementedError

    def index_size(self) -> int:
        """Bytes used by the index (documents table, full-text structures and their indexes)."""
        raise NotImplementedError


class SQLiteBackend(SearchBackend):
    """FTS5 (unicode61 over pre-segmented, space-separated tokens), kept in sync by triggers."""

    vendor = "sqlite"

    def prepare(self, doc: SearchDocument, tokens: dict[str, list[str]]) -> None:
        for name in FIELDS:
            setattr(doc, f"t_{name}", " ".join(tokens.get(name, ())))
        doc.search_vector = None

    @staticmethod
    def _phrase(phrase: Phrase) -> str:
        quoted = '"' + " ".join(t.replace('"', '""') for t in phrase.tokens) + '"'
        return quoted + "*" if phrase.prefix else quoted

    def match_expression(self, query: ParsedQuery) -> str:
        units = []
        for unit in query.units:
            alternatives = [self._phrase(p) for p in unit.alternatives]
            units.append(alternatives[0] if len(alternatives) == 1 else f"({' OR '.join(alternatives)})")
        return " AND ".join(units)

    def search(
        self, query: ParsedQuery, filters: Filters, sort: str = "relevance", offset: int = 0, limit: int = 10
    ) -> list[int]:
        where, params = filters.sql()
        if sort == "date":
            sql = (
                f"SELECT d.id FROM {FTS_TABLE} JOIN {DOC_TABLE} d ON d.id = {FTS_TABLE}.rowid "
                f"WHERE {FTS_TABLE} MATCH %s{where} ORDER BY d.pub_date DESC, d.id DESC LIMIT %s OFFSET %s"
            )
            args = [self.match_expression(query), *params, limit, offset]
        else:
            sql = (
                f"SELECT id FROM (SELECT d.id AS id, d.pub_date AS pub_date, "
                f"bm25({FTS_TABLE}, {BM25_WEIGHTS}) AS score FROM {FTS_TABLE} "
                f"JOIN {DOC_TABLE} d ON d.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s{where} "
                f"ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s) "
                "ORDER BY score, pub_date DESC, id DESC LIMIT %s OFFSET %s"
            )
            args = [self.match_expression(query), *params, RANK_WINDOW, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            return [row[0] for row in cursor.fetchall()]

    def count(self, query: ParsedQuery, filters: Filters) -> int:
        where, params = filters.sql()
        if where:
            inner = (
                f"SELECT 1 FROM {FTS_TABLE} JOIN {DOC_TABLE} d ON d.id = {FTS_TABLE}.rowid "
                f"WHERE {FTS_TABLE} MATCH %s{where}"
            )
        else:
            inner = f"SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM ({inner} LIMIT %s)",
                [self.match_expression(query), *params, COUNT_CAP + 1],
            )
            return cursor.fetchone()[0]

    def index_size(self) -> int:
        with connection.cursor() as cursor:
            try:
                cursor.execute(
                    "SELECT sum(pgsize) FROM dbstat WHERE name LIKE %s OR name LIKE %s OR name LIKE %s",
                    [f"{FTS_TABLE}%", f"{DOC_TABLE}%", "search_doc_%"],
                )
                return int(cursor.fetchone()[0] or 0)
            except Exception:  # dbstat is optional in SQLite builds
                return 0


class PostgresBackend(SearchBackend):
    """A weighted tsvector written as a literal (no parser, no dictionary) with a GIN index."""

    vendor = "postgresql"

    @staticmethod
    def _lexeme(token: str) -> str:
        return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"

    def vector_literal(self, tokens: dict[str, list[str]]) -> str:
        positions: dict[str, list[str]] = defaultdict(list)
        position = 0
        for name in FIELDS:
            weight = PG_WEIGHTS[name]
            for token in tokens.get(name, ()):
                position += 1
                entry = positions[token]
                if len(entry) < MAX_POSITIONS_PER_LEXEME:
                    entry.append(f"{position}{weight}")
            position += 1  # a gap: no phrase runs from one field into the next
        return " ".join(f"{self._lexeme(lex)}:{','.join(pos)}" for lex, pos in positions.items())

    def prepare(self, doc: SearchDocument, tokens: dict[str, list[str]]) -> None:
        for name in FIELDS:
            setattr(doc, f"t_{name}", "")
        doc.search_vector = self.vector_literal(tokens)

    def _phrase(self, phrase: Phrase) -> str:
        lexemes = [self._lexeme(t) for t in phrase.tokens]
        if phrase.prefix:
            lexemes[-1] += ":*"
        return " <-> ".join(lexemes)

    def match_expression(self, query: ParsedQuery) -> str:
        units = []
        for unit in query.units:
            alternatives = [f"({self._phrase(p)})" for p in unit.alternatives]
            units.append("(" + " | ".join(alternatives) + ")")
        return " & ".join(units)

    def search(
        self, query: ParsedQuery, filters: Filters, sort: str = "relevance", offset: int = 0, limit: int = 10
    ) -> list[int]:
        where, params = filters.sql()
        if sort == "date":
            sql = (
                f"SELECT d.id FROM {DOC_TABLE} d WHERE d.search_vector @@ CAST(%s AS tsquery){where} "
                "ORDER BY d.pub_date DESC NULLS LAST, d.id DESC LIMIT %s OFFSET %s"
            )
            args = [self.match_expression(query), *params, limit, offset]
        else:
            expression = self.match_expression(query)
            window = self._rank_window(expression, where, params)
            sql = (
                f"SELECT d.id FROM {DOC_TABLE} d WHERE d.id = ANY(%s) ORDER BY "
                f"ts_rank('{TS_RANK_WEIGHTS}'::float4[], d.search_vector, CAST(%s AS tsquery)) DESC, "
                "d.pub_date DESC NULLS LAST, d.id DESC LIMIT %s OFFSET %s"
            )
            args = [window, expression, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            return [row[0] for row in cursor.fetchall()]

    def _rank_window(self, expression: str, where: str, params: list[Any]) -> list[int]:
        """The ids of the RANK_WINDOW newest matches, looked for among the newest documents first.

        A GIN bitmap scan visits every matching row (and rechecks phrases) before it can keep the
        newest: a common word matches tens of thousands. Limited to the newest documents, the
        bitmap is ANDed with an id range; when that range holds a full window, those are exactly
        the newest matches, otherwise the next, wider range is tried.
        """
        sql = (
            f"SELECT d.id FROM {DOC_TABLE} d WHERE d.search_vector @@ CAST(%s AS tsquery){where} "
            "AND d.id > %s ORDER BY d.id DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {DOC_TABLE}")
            newest = cursor.fetchone()[0]
            for span in (*RECENT_SPANS, newest):
                cursor.execute(sql, [expression, *params, newest - span, RANK_WINDOW])
                ids = [row[0] for row in cursor.fetchall()]
                if len(ids) >= RANK_WINDOW or span >= newest:
                    return ids
        return ids

    def count(self, query: ParsedQuery, filters: Filters) -> int:
        where, params = filters.sql()
        sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM {DOC_TABLE} d "
            f"WHERE d.search_vector @@ CAST(%s AS tsquery){where} LIMIT %s) c"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.match_expression(query), *params, COUNT_CAP + 1])
            return cursor.fetchone()[0]

    def index_size(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size(%s)", [DOC_TABLE])
            return int(cursor.fetchone()[0] or 0)


def get_backend() -> SearchBackend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
