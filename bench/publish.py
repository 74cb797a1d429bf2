"""Benchmark static publishing against rendering pages one by one, in the same run.

    GOVSITE_VAR_DIR=/tmp/gen100k .venv/bin/python bench/publish.py --site gen1.localhost

Measures on an existing platform (build one with `govsite demo --articles 100000`):
1. baseline: --jobs processes (default: one per core) render article pages through the application,
   one request each (what Wagtail does per request), writing nothing — pages/s;
2. full rebuild: `rebuild_site` of the site into a scratch directory with each --processes count
   (default 1 and 2) — addresses/s, per process, and the ratio to the baseline (issue 20: ≥ 24×
   with 2 processes on a 2-core machine, as the baseline);
3. incremental: N new articles published one at a time in a column; the time from the publish
   call until every dependent file is written — p50/p95 (target p95 ≤ 150 ms);
4. peak RSS of the parent and of the largest worker process (getrusage), in MiB.

Every rate is measured in the same run after the same warm-up (--warmup pages rendered in the
parent before anything forks), so ratios hold on a shared machine where absolute numbers do not.
"""

import argparse
import math
import multiprocessing
import multiprocessing.pool
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings")
os.environ["GOVSITE_TASK_BACKEND"] = "immediate"  # whole-site rebuilds run at once, in this process

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from wagtail.models import Site  # noqa: E402

from govsite.content.models import ArticlePage, ColumnPage  # noqa: E402
from govsite.publishing.jobs import rebuild_site, site_paths  # noqa: E402


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "?")
    mem = next((line.split()[1] for line in meminfo if line.startswith("MemTotal")), "0")
    return (
        f"{os.cpu_count()} cores, {cpu}, {int(mem) // 1024 // 1024} GiB RAM, Python {sys.version.split()[0]}"
    )


def _render(host: str, paths: list[str]) -> float:
    """Render `paths` one request each in this (forked) process; the seconds it took."""
    client = Client(HTTP_HOST=host)
    started = time.perf_counter()
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    return time.perf_counter() - started


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children: on a shared machine the comparable
    figure, where wall-clock rates follow the load of other processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _fork_pool(jobs: int) -> multiprocessing.pool.Pool:
    connections.close_all()  # each forked process opens its own connection
    return multiprocessing.get_context("fork").Pool(jobs)


def warm_up(site: Site, pages: int) -> None:
    """Render a few pages in the parent: templates, caches and imports are then warm in every fork."""
    paths = [a.get_url_parts()[2] for a in ArticlePage.objects.live().descendant_of(site.root_page)[:pages]]
    _render(site.hostname, paths)


def baseline(site: Site, sample: int, jobs: int) -> tuple[float, float]:
    """Pages/s of `jobs` processes rendering `sample` random articles between them, wall clock, and
    the CPU seconds per page."""
    articles = ArticlePage.objects.live().descendant_of(site.root_page).order_by("?")[:sample]
    paths = [a.get_url_parts()[2] for a in articles]
    size = math.ceil(len(paths) / jobs)
    cpu = cpu_seconds()
    with _fork_pool(jobs) as pool:
        started = time.perf_counter()
        pool.starmap(_render, [(site.hostname, paths[i : i + size]) for i in range(0, len(paths), size)])
        elapsed = time.perf_counter() - started
    return len(paths) / elapsed, (cpu_seconds() - cpu) / len(paths)  # the pool's workers are reaped


def full_rebuild(site: Site, jobs: int) -> tuple[int, float, float]:
    """Addresses, wall seconds and CPU seconds (all processes) of one rebuild."""
    count = len(site_paths(site))
    connections.close_all()  # rebuild_site forks its workers, as baseline() does
    cpu = cpu_seconds()
    started = time.perf_counter()
    report = rebuild_site(site, jobs=jobs)
    elapsed = time.perf_counter() - started
    assert not report.failed, report.failed[:5]
    return count, elapsed, cpu_seconds() - cpu


def incremental(site: Site, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds from `revision.publish()` until every dependent file is written."""
    column = ColumnPage.objects.descendant_of(site.root_page).live().order_by("-numchild").first()
    times, cpu_times = [], []
    for n in range(runs):
        article = ArticlePage(
            title=f"基准测试稿件第{n + 1}篇：自治区推进科技创新工作",
            source="基准测试",
            body="<p>示例正文。</p>",
        )
        column.add_child(instance=article)
        revision = article.save_revision()
        started, cpu = time.perf_counter(), time.process_time()
        with transaction.atomic():
            revision.publish()
        times.append(time.perf_counter() - started)  # on_commit publishing runs inside this
        cpu_times.append(time.process_time() - cpu)
    return times, cpu_times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", help="hostname (default: the site with most articles)")
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes of the baseline (default: cores)"
    )
    parser.add_argument(
        "--processes", default="1,2", help="process counts of the full rebuild, comma-separated (default 1,2)"
    )
    parser.add_argument("--incremental", type=int, default=40)
    parser.add_argument(
        "--warmup", type=int, default=20, help="pages rendered before both sides (default 20)"
    )
    parser.add_argument("--repeats", type=int, default=1, help="runs of each side; the median is reported")
    parser.add_argument("--skip-full", action="store_true")
    args = parser.parse_args()

    if args.site:
        site = Site.objects.get(hostname=args.site)
    else:
        site = max(Site.objects.all(), key=lambda s: ArticlePage.objects.descendant_of(s.root_page).count())
    articles = ArticlePage.objects.live().descendant_of(site.root_page).count()
    scratch = Path(tempfile.mkdtemp(prefix="govsite-bench-public-"))
    settings.GOVSITE_PUBLIC_DIR = scratch
    print(f"machine: {machine()}")
    engine = settings.DATABASES["default"]["ENGINE"]
    print(f"site: {site.hostname}, {articles} live articles; database: {engine}")

    jobs, repeats = args.jobs, args.repeats
    warm_up(site, args.warmup)
    base_runs = [baseline(site, args.sample, jobs) for _ in range(repeats)]
    base = statistics.median(rate for rate, _ in base_runs)
    base_cpu = statistics.median(cpu for _, cpu in base_runs)
    print(
        f"baseline: {jobs} processes, one request per page: {base:.1f} pages/s = "
        f"{base / jobs:.1f} per process, {base_cpu * 1000:.1f} ms CPU per page "
        f"({args.sample} articles, median of {repeats}, after {args.warmup} warm-up pages)"
    )
    if not args.skip_full:
        for processes in [int(n) for n in args.processes.split(",")]:
            runs = [full_rebuild(site, processes) for _ in range(repeats)]
            count, elapsed = runs[0][0], statistics.median(e for _, e, _ in runs)
            cpu = statistics.median(c for _, _, c in runs) / count
            rate = count / elapsed
            print(
                f"full rebuild: {count} addresses (both versions, lists, feeds, sitemaps) in {elapsed:.1f}s "
                f"with {processes} processes: {rate:.1f} addresses/s = {rate / processes:.1f} per process; "
                f"{rate / base:.2f} x the baseline of {jobs} process(es); "
                f"{cpu * 1000:.1f} ms CPU per address = {base_cpu / cpu:.2f} x the baseline in CPU time"
            )
    times, cpu_times = incremental(site, args.incremental)
    for label, values in (("wall", times), ("CPU", cpu_times)):
        values.sort()
        p50 = statistics.median(values)
        p95 = values[math.ceil(len(values) * 0.95) - 1]  # nearest rank: never below the median
        ms = {"p50": p50 * 1000, "p95": p95 * 1000, "max": values[-1] * 1000}
        print(
            f"publish one article ({len(values)} runs, {label}): "
            + ", ".join(f"{k} {v:.0f} ms" for k, v in ms.items())
            + (f" = {p95 / base_cpu:.1f} baseline page renders (CPU) at p95" if label == "CPU" else "")
        )
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: parent {parent:.0f} MiB, largest worker process {children:.0f} MiB")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
