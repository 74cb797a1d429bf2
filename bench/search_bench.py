"""Search benchmark: govsite.search vs Wagtail's default backend on the same generated data.

    .venv/bin/python bench/search_bench.py --articles 10000 --db sqlite
    .venv/bin/python bench/search_bench.py --articles 10000 --db postgres

Each run uses its own database (a temporary SQLite file, or PostgreSQL database govsite_bench),
builds the demo platform, adds N generated articles (bench/search_data.py), indexes them with both
engines (timed) and then runs the same one- and two-word queries through both (ours also as a
site's own search page runs it, scoped to the site, and sorted by date), reporting p50/p95,
the ratio, matches found, indexing rate and index size per 10,000 articles.

Both engines get the same treatment: one warm-up run per query, then --repeat timed runs per query
(a Wagtail query past --wagtail-timeout is stopped and counted as that long), and indexing in one
process each unless --jobs says otherwise (Wagtail's update_index has no parallel mode; our rate is
then also shown per process).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

ONE_WORD = [
    "科技",
    "示范区",
    "张江",
    "集成电路",
    "创新",
    "稀土",
    "氢能",
    "鄂尔多斯",
    "有限公司",
    "调研",
    "罗家",
    "TD-LTE",
    "5G",
    "药品",
    "上市",
    "改革",
    "产业",
    "园区",
    "人才",
    "试验田",
]
TWO_WORDS = [
    "科技 创新",
    "张江 示范区",
    "稀土 产业",
    "包头 光伏",
    "集成电路 产业",
    "人才 引进",
    "TD-LTE 技术",
    "改革 试点",
    "氢能 调研",
    "赤峰 乳业",
    "示范区 十年",
    "药品 上市",
    "鄂尔多斯 有限公司",
    "园区 发展",
    "创新 生态",
    "风电 包头",
    "科技 成果",
    "上海 张江",
    "自主 创新",
    "企业 主体",
]


@contextmanager
def statement_deadline(seconds: float) -> Iterator[None]:
    """Stop the database statements run inside after `seconds` (OperationalError)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [str(int(seconds * 1000))])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', '0', false)")
        return
    connection.ensure_connection()
    raw = connection.connection
    deadline = time.monotonic() + seconds
    raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        yield
    finally:
        raw.set_progress_handler(None, 0)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[index]


def setup_env(db: str, articles: int) -> None:
    if db == "postgres":
        base = os.environ.get("BENCH_DATABASE_URL", "postgres://govsite:govsite@127.0.0.1:5432/govsite_bench")
        os.environ["DATABASE_URL"] = base
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["GOVSITE_VAR_DIR"] = tempfile.mkdtemp(prefix=f"govsite-bench-{articles}-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings")


def recreate_pg_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def wagtail_index_size(vendor: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "WHERE c.relkind = 'r' AND (c.relname LIKE 'modelsearch%%' "
                "OR c.relname LIKE 'wagtailsearch%%')"
            )
        else:
            cursor.execute(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat "
                "WHERE name LIKE 'modelsearch%' OR name LIKE 'wagtailsearch%'"
            )
        return int(cursor.fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query, every engine")
    parser.add_argument("--skip-wagtail-index", action="store_true")
    parser.add_argument("--wagtail-timeout", type=float, default=10.0, help="seconds before Wagtail stops")
    parser.add_argument("--jobs", type=int, default=1, help="processes for our indexing (Wagtail's: 1)")
    args = parser.parse_args()
    setup_env(args.db, args.articles)
    if args.db == "postgres":
        recreate_pg_database()

    import django

    django.setup()
    import logging

    logging.disable(logging.CRITICAL)  # the static publisher logs every page of the demo build
    from django.conf import settings
    from django.core.management import call_command
    from django.db import OperationalError, connection, reset_queries
    from django.db.models import Count

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.test.signals import setting_changed

    setting_changed.send(sender=None, setting="STORAGES", value=settings.STORAGES, enter=True)

    call_command("migrate", verbosity=0, interactive=False)
    from govsite.demo.builder import build_demo

    build_demo(port=80)
    from wagtail.models import Site

    from bench.search_data import generate
    from govsite.content.models import ArticlePage
    from govsite.search.backends import get_backend
    from govsite.search.indexer import reindex_all
    from govsite.search.models import SearchDocument
    from govsite.search.service import run_search

    started = time.perf_counter()
    created = generate(args.articles)
    print(f"generated {created} articles in {time.perf_counter() - started:.1f}s", flush=True)

    started = time.perf_counter()
    indexed = reindex_all(jobs=args.jobs)
    ours_index_s = time.perf_counter() - started
    ours_size = get_backend().index_size()
    print(
        f"govsite.search: indexed {indexed} pages in {ours_index_s:.1f}s, {ours_size / 2**20:.1f} MiB",
        flush=True,
    )

    wagtail_index_s = float("nan")
    if not args.skip_wagtail_index:
        started = time.perf_counter()
        call_command("update_index", verbosity=0)
        wagtail_index_s = time.perf_counter() - started
    wagtail_size = wagtail_index_size(connection.vendor)
    print(f"wagtail default: indexed in {wagtail_index_s:.1f}s, {wagtail_size / 2**20:.1f} MiB", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum would have done by now

    def ours(q: str) -> int:
        return run_search({"q": q, "scope": "all"}, None, log=False).total

    # The generated articles' site, searched as its own search page does (scope 本站), and the
    # cluster sorted by date: the other two ways readers search.
    biggest = SearchDocument.objects.values("site").annotate(n=Count("pk")).order_by("-n").first()
    site = Site.objects.get(pk=biggest["site"])

    def ours_site(q: str) -> int:
        return run_search({"q": q}, site, log=False).total

    def ours_by_date(q: str) -> int:
        return run_search({"q": q, "scope": "all", "sort": "date"}, None, log=False).total

    timeouts = 0

    def wagtail(q: str) -> int:
        """Wagtail's default backend; a query past --wagtail-timeout is stopped and counts as that
        long (a lower bound) with nothing found: at 100,000 articles some take minutes."""
        nonlocal timeouts
        qs = ArticlePage.objects.live().search(q)
        try:
            with statement_deadline(args.wagtail_timeout):
                total = qs.count()
                list(qs[:10])
            return total
        except OperationalError:
            timeouts += 1
            return 0

    settings.DEBUG = False
    import govsite.wsgi  # noqa: F401  (from here on the process is set up as a server's is)

    reset_queries()
    report = {}
    for label, queries in (("1 word", ONE_WORD), ("2 words", TWO_WORDS)):
        engines = (("govsite.search", ours), ("govsite site", ours_site), ("govsite by date", ours_by_date))
        for engine, fn in (*engines, ("wagtail default", wagtail)):
            times: list[float] = []
            found = 0
            for q in queries:
                fn(q)  # warm-up, not timed: the same for every engine
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    total = fn(q)
                    times.append(min((time.perf_counter() - t), args.wagtail_timeout) * 1000)
                found += total > 0
            report[(label, engine)] = (percentile(times, 50), percentile(times, 95), found, len(queries))
    print()
    print(
        f"N={args.articles} articles, database={connection.vendor}, {args.repeat} runs/query after a warm-up"
    )
    stopped = f"{timeouts} stopped at {args.wagtail_timeout:.0f}s"
    print(f"wagtail default: the same runs/query, {stopped} (warm-ups included)")
    print(f"{'queries':8} {'engine':16} {'p50 ms':>8} {'p95 ms':>8} {'queries with hits':>18}")
    for (label, engine), (p50, p95, found, n) in report.items():
        print(f"{label:8} {engine:16} {p50:8.1f} {p95:8.1f} {found:>12}/{n}")
    for label in ("1 word", "2 words"):
        o, w = report[(label, "govsite.search")], report[(label, "wagtail default")]
        print(f"ratio p95 govsite/wagtail ({label}): {o[1] / w[1]:.2f}")
    per10k = 10000 / max(indexed, 1)
    print(
        f"indexing: govsite.search {indexed / ours_index_s:.0f} pages/s with {args.jobs} process(es) "
        f"= {indexed / ours_index_s / args.jobs:.0f} per process "
        f"({ours_index_s * per10k:.1f}s per 10k), size {ours_size * per10k / 2**20:.1f} MiB per 10k; "
        f"wagtail {wagtail_index_s * per10k:.1f}s per 10k, "
        f"size {wagtail_size * per10k / 2**20:.1f} MiB per 10k"
    )


if __name__ == "__main__":
    main()
