"""Link crawl benchmark: the L1 crawl (govsite.monitoring.crawl) on a site of N published articles.

    .venv/bin/python bench/link_crawl.py --var-dir DIR [--articles 100000] [--workers 1 2]

DIR is a published platform (`make run`, or the var dir of `bench/serve_static.py`). The site
kjt.localhost is copied to a scratch public directory and grown to N articles in both versions by
cloning one real published article page (and its 长辈版) per address, each linking to its own
neighbours (上一篇/下一篇), so every page has the real page's links and the targets are as many as the
pages. The crawl then runs with the inspection's own resolver (`inspection.indicators.links`), once per
worker count, and must find no broken link. The scratch directory is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HOST = "kjt.localhost"
ARTICLE_RE = re.compile(r"/kjdt/gzdt/\d{6}/t\d{8}_\d+\.html")


def address(i: int) -> str:
    return f"/kjdt/gzdt/209901/t20990101_{9000000 + i}.html"


def grow(site: Path, articles: int) -> int:
    """Add `articles` clones of one published article under kjdt/gzdt/209901/ (both versions)."""
    sample = next(p for p in sorted(site.glob("kjdt/gzdt/*/t*.html")))
    elder = site / "elder" / sample.relative_to(site)
    written = 0
    for version, source in (("", sample), ("elder/", elder)):
        html = source.read_text()
        folder = site / f"{version}kjdt/gzdt/209901"
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(articles):
            neighbours = iter([address(max(i - 1, 0)), address((i + 1) % articles)])

            def neighbour(match: re.Match[str], names: Iterator[str] = neighbours) -> str:
                return next(names, match.group(0))

            page = ARTICLE_RE.sub(neighbour, html)
            (folder / f"t20990101_{9000000 + i}.html").write_text(page)
            written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var-dir", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="govsite-crawl-"))
    os.environ["GOVSITE_VAR_DIR"] = str(args.var_dir)
    os.environ["GOVSITE_PUBLIC_DIR"] = str(scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings")
    import django

    django.setup()
    from wagtail.models import Site

    from govsite.inspection.indicators.links import PublishedFiles
    from govsite.monitoring.crawl import crawl_site

    try:
        for host in (p.name for p in (args.var_dir / "public").iterdir() if p.is_dir()):
            skip = shutil.ignore_patterns("*.gz")
            shutil.copytree(args.var_dir / "public" / host, scratch / host, ignore=skip)
        started = time.monotonic()
        added = grow(scratch / HOST, args.articles)
        print(f"grew {HOST} by {added} files in {time.monotonic() - started:.0f} s")
        hosts = {str(h).lower() for h in Site.objects.values_list("hostname", flat=True)}
        for workers in args.workers:
            resolver = PublishedFiles()
            cpu = time.process_time()
            result = crawl_site(scratch / HOST, HOST, hosts, resolver.problem, workers=workers)
            rate = result.files / result.seconds
            print(
                f"workers={workers}: {result.files} files in {result.seconds:.1f} s ({rate:.0f} files/s), "
                f"{len(result.broken)} broken, {len(result.external)} outbound; "
                f"CPU of this process {time.process_time() - cpu:.1f} s"
            )
            for url, target in list(result.broken.items())[:5]:
                print("  broken:", url, target.problem, target.pages[:2], file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
