"""Benchmark 迁移: `govsite import` of N generated legacy pages from a local directory into a fresh site.

    GOVSITE_VAR_DIR=/tmp/bench-var .venv/bin/python bench/import_pages.py [--pages 2000] [--publish 200]

The var dir needs a migrated database (`govsite migrate`; the demo is not needed). A fresh department
site (import-bench-<n>.localhost, with one column `xwzx/`) is made, and N pages with the standard
meta tags, a TRS address, two body paragraphs, a table, one image and one PDF attachment each are
written as a `wget --mirror` tree in a scratch directory. Reported separately:

1. import: pages/s of the importer writing draft articles (extraction, body blocks, images and
   attachments saved, search and reference index queued once per chunk) — target ≥ 50 pages/s;
2. rerun: pages/s of a second run over the unchanged tree (every page skipped by its hash);
3. publish: pages/s of publishing --publish of the imported drafts through the publication gate
   (what `--publish` adds per page; the static files are queued for the worker, as in production,
   and measured by bench/publish.py).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings")
# Background work (writing the published files, site rebuilds) is queued for `govsite db_worker`, as
# in production: the publish figure is the go-live itself (gate, revision, index, audit), not the files.
os.environ["GOVSITE_TASK_BACKEND"] = "database"

import django

django.setup()

from PIL import Image as PILImage  # noqa: E402
from wagtail.models import Site  # noqa: E402

from govsite.content.models import ArticlePage, ColumnPage  # noqa: E402
from govsite.legacy.columns import ColumnMapping  # noqa: E402
from govsite.legacy.importer import Importer  # noqa: E402
from govsite.legacy.sources import DirectorySource  # noqa: E402
from govsite.sites.provisioning import create_department_site  # noqa: E402

OLD_HOST = "www.bench-old.gov.cn"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(seed: int) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (8, 6), (seed % 256, 40, 90)).save(out, format="PNG")
    return out.getvalue()


def page(n: int, day: str) -> str:
    folder = f"http://{OLD_HOST}/xwzx/{day[:6]}"
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>稿件{n}</title>
<meta name="ArticleTitle" content="自治区科技厅工作动态第{n}期">
<meta name="PubDate" content="{day[:4]}-{day[4:6]}-{day[6:]} 09:{n % 60:02d}">
<meta name="ContentSource" content="内蒙古自治区科学技术厅"></head><body>
<h1>自治区科技厅工作动态第{n}期</h1><div class="content">
<p>为深入实施创新驱动发展战略，第{n}次推进会议在呼和浩特召开。</p>
<p>会议听取了各盟市科技工作情况汇报，部署了下一阶段重点任务。</p>
<table><tr><th>项目</th><th>数量</th></tr><tr><td>高新技术企业</td><td>{n}</td></tr></table>
<p><img src="{folder}/W{n}.png" alt="会议现场{n}"></p>
<p><a href="{folder}/P{n}.pdf">附件{n}.pdf</a></p></div></body></html>"""


def generate(root: Path, count: int) -> None:
    for n in range(count):
        day = f"2019{1 + n % 12:02d}{1 + n % 28:02d}"
        folder = root / OLD_HOST / "xwzx" / day[:6]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"t{day}_{500000 + n}.html").write_text(page(n, day), encoding="utf-8")
        (folder / f"W{n}.png").write_bytes(png(n))
        (folder / f"P{n}.pdf").write_bytes(PDF)


def fresh_site() -> tuple[Site, ColumnPage]:
    n = Site.objects.filter(hostname__startswith="import-bench-").count() + 1
    department = create_department_site(f"import-bench-{n}.localhost", f"迁移测速{n}", f"迁移测速{n}")
    column = ColumnPage(
        title="新闻中心", slug="xwzx", column_type="工作动态", description="新闻", keywords="新闻"
    )
    department.site.root_page.add_child(instance=column)
    column.save_revision().publish()
    return department.site, column


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--publish", type=int, default=200, help="how many imported drafts to publish")
    parser.add_argument("--profile", metavar="FILE", help="cProfile (CPU time) of the first import, to FILE")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="govsite-import-bench-"))
    try:
        generate(scratch, args.pages)
        site, column = fresh_site()
        print(f"site {site.hostname}, {args.pages} pages generated in {scratch}")
        for label in ("import", "rerun"):
            importer = Importer(site, DirectorySource(scratch), ColumnMapping())
            profiler = cProfile.Profile(time.process_time) if args.profile and label == "import" else None
            started, cpu = time.perf_counter(), time.process_time()
            report = profiler.runcall(importer.execute) if profiler else importer.execute()
            if profiler:
                profiler.dump_stats(args.profile)
            seconds = time.perf_counter() - started
            cpu_ms = (time.process_time() - cpu) * 1000 / args.pages
            counts = ", ".join(f"{status} {n}" for status, n in report.counts.items())
            print(
                f"{label}: {args.pages / seconds:.1f} pages/s ({seconds:.1f} s, CPU {cpu_ms:.1f} ms/page) "
                f"{counts}, "
                f"missing files {len(report.missing_assets)}, kept addresses {report.kept_addresses}"
            )
        drafts = list(ArticlePage.objects.child_of(column).filter(live=False)[: args.publish])
        started, cpu = time.perf_counter(), time.process_time()
        for article in drafts:
            article.get_latest_revision().publish()
        seconds = time.perf_counter() - started
        if drafts:
            cpu_ms = (time.process_time() - cpu) * 1000 / len(drafts)
            print(
                f"publish: {len(drafts) / seconds:.1f} pages/s ({len(drafts)} articles, {seconds:.1f} s, "
                f"CPU {cpu_ms:.1f} ms/page)"
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
