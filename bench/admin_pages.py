"""Admin render times: every admin page an editor, a reviewer, a site admin and the platform admin reach.

    .venv/bin/python bench/admin_pages.py [--articles 2000] [--repeats 5] [--limit 1.0]

Builds the demo platform in a fresh SQLite database (optionally with N generated articles), then, in
one process, for each user: collects the admin pages reachable from the dashboard and the sidebar
(plus the editor's own article pages: edit, history, add, the review queue), warms each page up once
and times `--repeats` GETs through Django's test client (the whole middleware stack, templates and
queries; no network). The baseline is the anonymous login page timed the same way in the same run:
the ratio says how much heavier a page is than the lightest page of the admin. Prints the slowest
pages and exits non-zero when one takes longer than `--limit` seconds (median).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

USERS = ("kjt-editor", "kjt-reviewer1", "kjt-reviewer3", "kjt-siteadmin", "jyt-siteadmin", "platform-admin")
# The handling lists (依申请公开, 留言, 征集调查, 找错): their rows' pages are timed too, a few per list.
HANDLING = re.compile(r"^/admin/(disclosure|messages|participation|error-reports)/")
ROWS_PER_LIST = 5
SKIP = re.compile(
    r"/admin/(logout|login|jsi18n|.*\.(js|css|png|svg))|/(delete|unpublish|copy|move|export|file|step)/|[?&]export="
)
HREF = re.compile(r'href="(/admin/[^"#]*)"')
SIDEBAR_URL = re.compile(r'"url":\s*"(/admin/[^"]*)"')


def setup(articles: int) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["GOVSITE_VAR_DIR"] = tempfile.mkdtemp(prefix="govsite-bench-admin-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings")
    import django

    django.setup()
    logging.disable(logging.CRITICAL)
    from django.core.management import call_command
    from django.core.signals import request_started
    from django.db import reset_queries

    # Each request would empty the query log that CaptureQueriesContext counts.
    request_started.disconnect(reset_queries)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)  # the manifest storage, as deployed
    demo_args = ["--articles", str(articles), "--sites", "2"] if articles else []
    call_command("demo", *demo_args, verbosity=0)


def timed_get(client: object, url: str, repeats: int) -> tuple[int, list[float], int]:
    """One warm-up GET (counting its queries), then `repeats` timed ones: status, timings (s), queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # type: ignore[attr-defined]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        times.append(time.perf_counter() - start)
    return response.status_code, times, len(queries)


def pages_of(client: object, username: str) -> list[str]:
    """The dashboard's and sidebar's links, plus the pages of one of the user's department's articles."""
    from wagtail.models import Page

    from govsite.content.models import ArticlePage, ColumnPage

    html = client.get("/admin/").content.decode()  # type: ignore[attr-defined]
    urls = {"/admin/", *HREF.findall(html), *SIDEBAR_URL.findall(html.replace("&quot;", '"'))}
    article = ArticlePage.objects.filter(url_path__startswith="/kjt").order_by("-pk").first()
    column = ColumnPage.objects.filter(url_path__startswith="/kjt").order_by("pk").first()
    root = Page.objects.filter(url_path="/kjt/").first()
    if article is not None:
        urls |= {f"/admin/pages/{article.pk}/edit/", f"/admin/pages/{article.pk}/history/"}
        urls.add(f"/admin/pages/{article.get_parent().pk}/")
    if column is not None:
        urls.add(f"/admin/pages/add/govsite_content/articlepage/{column.pk}/")
    if root is not None:
        urls.add(f"/admin/pages/{root.pk}/")
    urls |= {"/admin/workflow/reviews/", "/admin/documents/", "/admin/images/", "/admin/pages/search/?q=科技"}
    urls |= rows_of(client, {url.replace("&amp;", "&") for url in urls if HANDLING.search(url)})
    return sorted(url.replace("&amp;", "&") for url in urls if not SKIP.search(url))


def rows_of(client: object, lists: set[str]) -> set[str]:
    """A few of the pages each handling list links to (a case, a message, a submission), one level deep."""
    found: set[str] = set()
    for url in sorted(lists):
        response = client.get(url)  # type: ignore[attr-defined]
        if response.status_code != 200:
            continue
        links = [link.replace("&amp;", "&") for link in HREF.findall(response.content.decode())]
        rows = [link for link in dict.fromkeys(links) if HANDLING.search(link) and link not in lists]
        found |= set(rows[:ROWS_PER_LIST])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=0, help="generated articles besides the demo")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--limit", type=float, default=1.0, help="seconds (median) no page may exceed")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    setup(args.articles)

    from django.contrib.auth import get_user_model
    from django.test import Client

    from govsite.testing import verified_client

    anonymous = Client(HTTP_HOST="kjt.localhost")
    _, baseline_times, _ = timed_get(anonymous, "/admin/login/", args.repeats)
    baseline = statistics.median(baseline_times)
    rows: list[tuple[float, int, str, str]] = []  # median, queries, user, url
    for username in USERS:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            print(f"skipped {username}: not in the demo")
            continue
        client = verified_client(HTTP_HOST="kjt.localhost")  # both factors, as a real login
        client.force_login(user)
        for url in pages_of(client, username):
            status, times, queries = timed_get(client, url, args.repeats)
            if status == 200:
                rows.append((statistics.median(times), queries, username, url))
    rows.sort(reverse=True)
    print(f"baseline: anonymous /admin/login/ median {baseline * 1000:.1f} ms ({args.repeats} repeats)")
    print(f"{len(rows)} admin pages answered 200; the slowest 15 (median of {args.repeats}):")
    for median, queries, username, url in rows[:15]:
        ratio = median / baseline
        print(f"  {median * 1000:7.1f} ms  {ratio:6.1f}×  {queries:4} queries  {username:14} {url}")
    if args.json:
        args.json.write_text(
            json.dumps(
                [{"ms": m * 1000, "queries": q, "user": u, "url": url} for m, q, u, url in rows],
                ensure_ascii=False,
            )
        )
    slow = [row for row in rows if row[0] > args.limit]
    if slow:
        print(f"{len(slow)} page(s) over {args.limit} s", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
