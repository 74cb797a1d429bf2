"""Two implementations of one small index interface, chosen by ``connection.vendor``.

Both receive the same tokens from govsite.search.segment and the same parsed query, so they match
the same documents; only the relevance formula differs (FTS5 bm25 vs ts_rank).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from math import ceil, log10
from typing import Any, Literal, NamedTuple

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
# Bounded work per query, whatever the collection size. Relevance is computed over the RANK_WINDOW
# most recently indexed matches (reindex writes in date order, so these are the newest): as many
# results as a reader can page through (service.MAX_PAGES). Ranking costs 10-45 µs a document
# (bm25 / ts_rank over bigram phrases). SQLite counts exactly up to COUNT_CAP ("5000 条以上");
# PostgreSQL counts exactly up to RANK_WINDOW and estimates beyond ("约 23000 条"), as visiting a
# matching row costs a heap page.
COUNT_CAP = 5000
RANK_WINDOW = 500
FIRST_SPAN = 2000  # PostgreSQL: the newest documents searched first for the window
PLAIN_SCAN_ROWS = 3000  # PostgreSQL: ranges up to this size are read without the GIN index
ESTIMATE_SAMPLE_ROWS = 1000  # PostgreSQL: rows sampled to estimate a count beyond the window


class Match(NamedTuple):
    id: int
    rank: float
    pub_date: datetime
    not_article: bool  # equal relevance: articles before columns and information pages


@dataclass(frozen=True)
class Count:
    """How many documents match: exact, a lower bound ("N 条以上") or an estimate ("约 N 条")."""

    value: int
    kind: Literal["exact", "at_least", "about"] = "exact"


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

    def __init__(self) -> None:
        # One search asks for the count, then a page: both use it (a backend serves one search).
        self._counts: dict[tuple[Any, ...], Count] = {}

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

    def count(self, query: ParsedQuery, filters: Filters) -> Count:
        """How many documents match, within this backend's bounded work."""
        where, params = filters.sql()
        expression = self.match_expression(query)
        key = (expression, where, tuple(params))
        if key not in self._counts:
            self._counts[key] = self._count(expression, where, params)
        return self._counts[key]

    def _count(self, expression: str, where: str, params: list[Any]) -> Count:
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
        if sort == "date" and self.count(query, filters).value > RANK_WINDOW:
            # Many matches: their ids into a temporary b-tree (FTS5 walks doclists fast), then the
            # newest-first index is read until the page is full, instead of sorting every match.
            index = "search_doc_site_recent" if len(filters.site_ids or ()) == 1 else "search_doc_recent"
            sql = (
                f"SELECT d.id FROM {DOC_TABLE} d INDEXED BY {index} WHERE d.id IN "
                f"(SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s){where} "
                "ORDER BY d.pub_date DESC, d.id DESC LIMIT %s OFFSET %s"
            )
            args = [self.match_expression(query), *params, limit, offset]
        elif sort == "date":
            sql = (
                f"SELECT d.id FROM {FTS_TABLE} CROSS JOIN {DOC_TABLE} d ON d.id = {FTS_TABLE}.rowid "
                f"WHERE {FTS_TABLE} MATCH %s{where} ORDER BY d.pub_date DESC, d.id DESC LIMIT %s OFFSET %s"
            )
            args = [self.match_expression(query), *params, limit, offset]
        else:
            sql = (
                f"SELECT id FROM (SELECT d.id AS id, d.pub_date AS pub_date, d.kind <> 'article' AS later, "
                f"bm25({FTS_TABLE}, {BM25_WEIGHTS}) AS score FROM {FTS_TABLE} "
                f"CROSS JOIN {DOC_TABLE} d ON d.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH %s{where} "
                f"ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s) "
                "ORDER BY score, later, pub_date DESC, id DESC LIMIT %s OFFSET %s"
            )
            args = [self.match_expression(query), *params, RANK_WINDOW, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            return [row[0] for row in cursor.fetchall()]

    def _count(self, expression: str, where: str, params: list[Any]) -> Count:
        if where:
            inner = (
                f"SELECT 1 FROM {FTS_TABLE} CROSS JOIN {DOC_TABLE} d ON d.id = {FTS_TABLE}.rowid "
                f"WHERE {FTS_TABLE} MATCH %s{where}"
            )
        else:
            inner = f"SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({inner} LIMIT %s)", [expression, *params, COUNT_CAP + 1])
            found = cursor.fetchone()[0]
        return Count(COUNT_CAP, "at_least") if found > COUNT_CAP else Count(found)

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

    def __init__(self) -> None:
        super().__init__()
        self._newest: dict[tuple[Any, ...], list[Match]] = {}  # as _counts
        self._rows: float | None = None

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
        expression = self.match_expression(query)
        window = self._newest_matches(expression, where, params)
        if sort == "date" and len(window) > RANK_WINDOW:
            # More matches than the window. A common word: read the recency index newest first and
            # test each document (no GIN), stopping after offset + limit matches, about
            # (offset + limit) / density rows. A rarer word deep in its pages: take every match from
            # the GIN index and sort them. Whichever visits fewer rows.
            total = self.count(query, filters).value
            scan = (offset + limit) * self._table_rows() < 2 * total * total
            match = (
                "ts_match_vq(d.search_vector, CAST(%s AS tsquery))"
                if scan
                else "d.search_vector @@ CAST(%s AS tsquery)"
            )
            sql = (
                f"SELECT d.id FROM {DOC_TABLE} d WHERE {match}{where} "
                "ORDER BY d.pub_date DESC, d.id DESC LIMIT %s OFFSET %s"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [expression, *params, limit, offset])
                return [row[0] for row in cursor.fetchall()]
        window = window[:RANK_WINDOW]
        # As SQL would order: [rank DESC, articles first,] pub_date DESC, id DESC.
        window.sort(key=lambda m: (m.pub_date, m.id), reverse=True)
        if sort != "date":
            window.sort(key=lambda m: (-m.rank, m.not_article))  # stable: equal ranks stay newest first
        return [m.id for m in window[offset : offset + limit]]

    def _newest_matches(self, expression: str, where: str, params: list[Any]) -> list[Match]:
        """The RANK_WINDOW + 1 newest matches, newest first (fewer: all of them), ranked.

        The GIN index finds every match of a common word (tens of thousands, ~8 ms to intersect
        the lists) and the heap visit rechecks each, while only the newest window is wanted. So
        the id ranges are searched newest first: the first FIRST_SPAN documents, then each next,
        older range sized from the density of matches seen so far (at least doubling what was
        searched). A range of up to PLAIN_SCAN_ROWS documents is read newest first without the
        index, stopping at the window; a wider one through the index. Same answer, a few
        thousand rows visited, each ranked while it is read. Remembered for the one search
        (count, then page).
        """
        key = (expression, where, tuple(params))
        if key in self._newest:
            return list(self._newest[key])
        wanted = RANK_WINDOW + 1
        sql = (
            f"SELECT d.id, ts_rank('{TS_RANK_WEIGHTS}'::float4[], d.search_vector, CAST(%s AS tsquery)), "
            f"d.pub_date, d.kind <> 'article' FROM {DOC_TABLE} d WHERE MATCH{where} "
            "AND d.id > %s AND d.id <= %s ORDER BY d.id DESC LIMIT %s"
        )
        plain = sql.replace("MATCH", "ts_match_vq(d.search_vector, CAST(%s AS tsquery))")
        indexed = sql.replace("MATCH", "d.search_vector @@ CAST(%s AS tsquery)")
        found: list[Match] = []
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {DOC_TABLE}")
            newest = high = cursor.fetchone()[0]
            span = FIRST_SPAN
            while high > 0 and len(found) < wanted:
                low = max(high - span, 0)
                cursor.execute(
                    plain if span <= PLAIN_SCAN_ROWS else indexed,
                    [expression, expression, *params, low, high, wanted - len(found)],
                )
                found += [Match(*row) for row in cursor.fetchall()]
                searched, missing = newest - low, wanted - len(found)
                needed = ceil(missing * searched / len(found) * 1.5) if found else 8 * searched
                span, high = max(searched, needed), low
        self._newest[key] = found
        return list(found)

    def _table_rows(self) -> float:
        """The planner's row count of the index table (-1 before its first ANALYZE); read once per
        search (the estimate and the choice of date-order plan both use it)."""
        if self._rows is None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [DOC_TABLE])
                self._rows = cursor.fetchone()[0]
        return self._rows

    def _estimate(self, expression: str, where: str, params: list[Any]) -> int:
        """Matches in a random sample of table pages, scaled up (same sample on every page view)."""
        rows = self._table_rows()
        percent = 100.0 if rows <= ESTIMATE_SAMPLE_ROWS else 100.0 * ESTIMATE_SAMPLE_ROWS / rows
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {DOC_TABLE} d TABLESAMPLE SYSTEM (%s) REPEATABLE (0) "
                f"WHERE d.search_vector @@ CAST(%s AS tsquery){where}",
                [percent, expression, *params],
            )
            return round(float(cursor.fetchone()[0]) * 100.0 / percent)

    def _count(self, expression: str, where: str, params: list[Any]) -> Count:
        newest = self._newest_matches(expression, where, params)
        if len(newest) <= RANK_WINDOW:
            return Count(len(newest))
        return Count(max(two_digits(self._estimate(expression, where, params)), len(newest)), "about")

    def index_size(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size(%s)", [DOC_TABLE])
            return int(cursor.fetchone()[0] or 0)


def two_digits(value: int) -> int:
    """An estimate rounded to two significant digits (23,456 → 23,000): no false precision."""
    if value < 100:
        return value
    unit = int(10 ** (int(log10(value)) - 1))  # value >= 100: a positive power, an int
    return (value + unit // 2) // unit * unit


def get_backend() -> SearchBackend:
    """A backend for one search: it remembers that search's count (and on PostgreSQL its matches)."""
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
