"""Benchmark delivery: publish one article and time until both rsync targets have every file it changed.

    GOVSITE_VAR_DIR=/tmp/demo/var .venv/bin/python bench/deliver.py --site kjt.localhost --runs 40

On an existing, published platform (`make run` builds one; `govsite demo --articles N` a big one). The
benchmark starts a real sshd on a free port (tests/sshd.py: throwaway keys), makes two rsync targets
under a scratch directory, brings them up to date once (full sync, timed separately), then publishes
--runs new articles one at a time: each time is from the publish call until delivery to both targets
returned (publishing, the changeset and both rsync runs, in this process: the immediate task backend).
Target p95 ≤ 2 s (issue 19). The database gets the articles; run it on a copy of the platform.
"""

import argparse
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings")
os.environ["GOVSITE_TASK_BACKEND"] = "immediate"  # delivery runs at once, in this process

import django

django.setup()

from django.db import transaction  # noqa: E402
from wagtail.models import Site  # noqa: E402

from govsite.content.models import ArticlePage, ColumnPage  # noqa: E402
from govsite.delivery.models import Target, TargetState  # noqa: E402
from govsite.delivery.service import catch_up, latest_sequence, verify  # noqa: E402
from govsite.delivery.tests.sshd import Sshd  # noqa: E402


def publish_one(column: ColumnPage, n: int) -> float:
    article = ArticlePage(title=f"分发基准稿件第{n + 1}篇", source="基准测试", body="<p>示例正文。</p>")
    column.add_child(instance=article)
    revision = article.save_revision()
    started = time.perf_counter()
    with transaction.atomic():
        revision.publish()  # on_commit: publish → files_changed → changeset → deliver to both targets
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", default="kjt.localhost")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    site = Site.objects.get(hostname=args.site)
    column = ColumnPage.objects.descendant_of(site.root_page).live().order_by("-numchild").first()
    assert column is not None
    scratch = Path(tempfile.mkdtemp(prefix="govsite-bench-deliver-"))
    (scratch / "sshd").mkdir()
    sshd = Sshd(scratch / "sshd")
    sshd.start()
    try:
        targets = [sshd.target(scratch / f"node{n}", name=f"基准节点{n}") for n in (1, 2)]
        started = time.perf_counter()
        catch_up()  # the first delivery to a new target is a full sync of the site
        print(f"full sync of {site.hostname} to 2 rsync targets: {time.perf_counter() - started:.1f}s")
        times = sorted(publish_one(column, n) for n in range(args.runs))
        for target in targets:
            state = TargetState.objects.get(target=target, site=site)
            assert state.applied_sequence == latest_sequence(site) and not state.last_error, state.last_error
        differences = {str(key): lines for key, lines in verify(site).items() if lines}
        p50, p95 = statistics.median(times), times[math.ceil(len(times) * 0.95) - 1]  # nearest rank
        print(
            f"publish one article → both rsync targets ({len(times)} runs): p50 {p50 * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms"
        )
        print(f"verify differences: {differences or 'none'}")
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    finally:
        Target.objects.filter(name__startswith="基准节点").delete()
        sshd.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
