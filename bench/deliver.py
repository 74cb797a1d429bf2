"""Benchmark delivery: publish one article and time until both rsync targets have every file it changed.

    GOVSITE_VAR_DIR=/tmp/demo/var .venv/bin/python bench/deliver.py --site kjt.localhost --runs 40

On an existing, published platform (`make run` builds one; `govsite demo --articles N` a big one). The
benchmark starts a real sshd on a free port (tests/sshd.py: throwaway keys), makes two rsync targets
under a scratch directory, brings them up to date once (full sync, timed separately), then publishes
--runs new articles one at a time: each time is from the publish call until delivery to both targets
returned (publishing, the changeset and both rsync runs, in this process: the immediate task backend).
Target p95 ≤ 2 s (issue 19). The database gets the articles; run it on a copy of the platform.

Each run is split into publishing (rendering and writing the files), the changeset (hashing what was
written) and delivery (both targets, in parallel), with wall and CPU time: this process's own CPU and
that of its children (rsync and ssh), and the load average before and after, for a shared machine.
"""

import argparse
import math
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings")
os.environ["GOVSITE_TASK_BACKEND"] = "immediate"  # delivery runs at once, in this process

import django

django.setup()

from django.db import transaction  # noqa: E402
from wagtail.models import Site  # noqa: E402

from govsite.content.models import ArticlePage, ColumnPage  # noqa: E402
from govsite.delivery import backends, service, signal_handlers  # noqa: E402
from govsite.delivery.models import Target, TargetState  # noqa: E402
from govsite.delivery.service import catch_up, latest_sequence, verify  # noqa: E402
from govsite.delivery.tests.sshd import Sshd  # noqa: E402

SPENT: dict[str, float] = defaultdict(float)  # wall seconds of the current run, by part
COUNTS: dict[str, int] = defaultdict(int)


def timed(part: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[part] += time.perf_counter() - started
            COUNTS[part] += 1

    return wrapper


def instrument() -> None:
    """Time the changeset (hashing) and delivery (rsync to both targets) inside each publish."""
    signal_handlers.record = timed("changeset", signal_handlers.record)  # type: ignore[assignment]
    service.deliver_site = timed("delivery", service.deliver_site)  # type: ignore[assignment]
    backends.RsyncBackend.run = timed("rsync runs", backends.RsyncBackend.run)  # type: ignore[method-assign]


def cpu() -> tuple[float, float]:
    """CPU seconds (user + system) of this process and of its finished children (rsync, ssh)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def publish_one(column: ColumnPage, n: int) -> dict[str, float]:
    article = ArticlePage(title=f"分发基准稿件{n + 1}", source="基准测试", body="<p>示例正文。</p>")
    column.add_child(instance=article)
    revision = article.save_revision()
    SPENT.clear()
    COUNTS.clear()
    own, children = cpu()
    started = time.perf_counter()
    with transaction.atomic():
        revision.publish()  # on_commit: publish → files_changed → changeset → deliver to both targets
    total = time.perf_counter() - started
    own_after, children_after = cpu()
    return {
        "total": total,
        "publish": total - SPENT["changeset"] - SPENT["delivery"],
        "changeset": SPENT["changeset"],
        "delivery": SPENT["delivery"],
        "rsync runs": COUNTS["rsync runs"],
        "cpu": own_after - own,
        "cpu children": children_after - children,
    }


def quantiles(values: list[float]) -> str:
    ordered = sorted(values)
    p50, p95 = statistics.median(ordered), ordered[math.ceil(len(ordered) * 0.95) - 1]  # nearest rank
    return f"p50 {p50 * 1000:6.0f} ms, p95 {p95 * 1000:6.0f} ms, max {ordered[-1] * 1000:6.0f} ms"


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
        publish_one(column, -1)  # the site directory exists (a platform never published: this creates it)
        catch_up()  # the first delivery to a new target is a full sync of the site
        print(f"full sync of {site.hostname} to 2 rsync targets: {time.perf_counter() - started:.1f}s")
        instrument()
        load_before = os.getloadavg()
        runs = [publish_one(column, n) for n in range(args.runs)]
        load_after = os.getloadavg()
        for target in targets:
            state = TargetState.objects.get(target=target, site=site)
            assert state.applied_sequence == latest_sequence(site) and not state.last_error, state.last_error
        differences = {str(key): lines for key, lines in verify(site).items() if lines}
        print(f"publish one article → both rsync targets, {len(runs)} runs, column {column.title}")
        for part in ("total", "publish", "changeset", "delivery", "cpu", "cpu children"):
            print(f"  {part:13} {quantiles([run[part] for run in runs])}")
        rsync_runs = statistics.median(run["rsync runs"] for run in runs)
        print(f"  rsync runs per publish (both targets): {rsync_runs:.0f}")
        print(f"verify differences: {differences or 'none'}")
        print(f"load average before {load_before}, after {load_after}")
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    finally:
        Target.objects.filter(name__startswith="基准节点").delete()
        sshd.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
