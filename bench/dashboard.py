"""Time the admin dashboard and 稿件统计 pages on an existing platform (the demo, or a generated one).

    GOVSITE_VAR_DIR=/tmp/demo .venv/bin/python bench/dashboard.py [--repeats 10] [--pending 20]

Makes --pending submitted drafts on the S&T site (so 待我审核 has rows with check results), then,
for each account, renders /admin/ and /admin/editorial/statistics/ (and the Excel export) --repeats
times after one warm-up request, and prints the median and worst time and the number of queries.
Everything it creates is rolled back at the end.
"""

import argparse
import os
import statistics
import time
import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from wagtail.models import Site  # noqa: E402

from govsite.content.models import ArticlePage, ColumnPage  # noqa: E402
from govsite.testing import verified_client  # noqa: E402

PAGES = {
    "baseline": "/admin/account/",  # an admin page with the same chrome (menu, header) and no panels
    "dashboard": "/admin/",
    "statistics": "/admin/editorial/statistics/",
    "export": "/admin/editorial/statistics/?start=2000-01-01&end=2099-12-31&export=xlsx",
}
DASHBOARD_ACCOUNTS = ["kjt-reviewer1", "kjt-editor", "platform-admin"]
STATISTICS_ACCOUNTS = ["kjt-siteadmin", "platform-admin"]


def pending(count: int) -> None:
    site = Site.objects.get(hostname="kjt.localhost")
    column = ColumnPage.objects.descendant_of(site.root_page).filter(column_type="工作动态").first()
    editor = get_user_model().objects.get(username="kjt-editor")
    for n in range(count):
        page = ArticlePage(
            title=f"计时稿件{n}",
            slug=f"b{uuid.uuid4().hex[:8]}",
            body="<p>正文。</p>",
            source="本厅",
            live=False,
        )
        column.add_child(instance=page)
        page.save_revision(user=editor)
        page.get_workflow().start(page, editor)


def measure(username: str, url: str, repeats: int) -> tuple[float, float, int]:
    client = verified_client(HTTP_HOST="127.0.0.1")  # both factors, as a real login
    client.force_login(get_user_model().objects.get(username=username))
    assert client.get(url).status_code == 200  # warm-up
    times = []
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000, max(times) * 1000, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--pending", type=int, default=20)
    args = parser.parse_args()
    with transaction.atomic():
        pending(args.pending)
        print(f"{'page':<11} {'account':<14} {'median ms':>9} {'max ms':>8} {'queries':>7}")
        for name in PAGES:
            for username in STATISTICS_ACCOUNTS if name in ("statistics", "export") else DASHBOARD_ACCOUNTS:
                median, worst, count = measure(username, PAGES[name], args.repeats)
                print(f"{name:<11} {username:<14} {median:9.0f} {worst:8.0f} {count:7d}")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
