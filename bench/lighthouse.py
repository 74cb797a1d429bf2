"""Lighthouse over every public page type, as a reader's phone sees it (mobile preset).

    npm install --prefix .lighthouse --save-exact lighthouse@12.2.3     # once; no browser download
    .venv/bin/python bench/lighthouse.py [--var-dir DIR] [--lighthouse .lighthouse] [--min-performance 95]

Starts `govsite serve` on a published platform (--var-dir, as bench/serve_static.py builds it; without
it a fresh platform is built first, a few minutes), then runs Lighthouse 12.2.3 with Debian's Chromium
(/usr/bin/chromium, never a downloaded browser) on: home, column list, article, 长辈版 article, search,
依申请公开 form, 留言 form, 办事指南. Prints the four category scores, CLS and the failed SEO audits per
page; exits 1 if a page scores below --min-performance. About 15–30 s per page on 2 cores, so it is
not part of `make test` (docs/testing.md); a regular pytest checks what keeps the scores (the
无障碍浏览 button's reserved space, the meta description, gzip on dynamic pages).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from govsite.testing import CLI, build_platform, cli_env, free_port, running

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_static import HOST, seed_article

CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"


def first_index(site: Path, pattern: str) -> str:
    """The address of the first published directory page matching `pattern` (sorted: stable runs)."""
    for path in sorted(site.glob(pattern)):
        if path.name == "index.html" and path.parent != site:
            return "/" + path.parent.relative_to(site).as_posix() + "/"
    raise SystemExit(f"no published page matches {pattern} under {site}")


def page_types(public: Path) -> dict[str, str]:
    """Every public page type: its name → address on the seed site."""
    site = public / HOST
    article, _file = seed_article(public)
    return {
        "首页 home": "/",
        "栏目列表 column list": article.rsplit("/", 2)[0] + "/",
        "文章 article": article,
        "长辈版文章 elder article": "/elder" + article,
        "搜索 search": "/search/?q=科技",
        "依申请公开 form": "/yisqgk/",
        "留言 form": "/liuyan/",
        "办事指南 service guide": first_index(site, "zwfw/bszn/*/index.html"),
    }


def lighthouse(binary: Path, url: str, out: Path, attempts: int = 2) -> dict[str, object] | None:
    """One Lighthouse run; a busy machine sometimes loses the trace (NO_NAVSTART): tried again once."""
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    for _attempt in range(attempts):
        done = subprocess.run(
            [str(binary), url, f"--chrome-flags={CHROME_FLAGS}", "--output=json", f"--output-path={out}",
             f"--only-categories={','.join(CATEGORIES)}", "--quiet"],
            env=env, timeout=300, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode == 0:
            report: dict[str, object] = json.loads(out.read_text())
            return report
        print(f"  (Lighthouse failed on {url}: {done.stderr.strip()[-300:]})", flush=True)
    return None


def summary(report: dict[str, object]) -> tuple[dict[str, int], float, list[str]]:
    """The four scores, CLS and the failed SEO audits of one report."""
    categories, audits = report["categories"], report["audits"]
    assert isinstance(categories, dict) and isinstance(audits, dict)
    scores = {name: round((categories[name]["score"] or 0) * 100) for name in CATEGORIES}
    cls = float(audits["cumulative-layout-shift"].get("numericValue") or 0)
    seo_refs = categories["seo"]["auditRefs"]
    failed = [ref["id"] for ref in seo_refs if ref.get("weight") and audits[ref["id"]].get("score") == 0]
    return scores, cls, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--var-dir", type=Path, help="an existing GOVSITE_VAR_DIR with published sites")
    parser.add_argument(
        "--lighthouse", type=Path, default=Path(".lighthouse"), help="npm --prefix of lighthouse"
    )
    parser.add_argument("--min-performance", type=int, default=95)
    parser.add_argument("--only", help="run only the page types whose name contains this")
    args = parser.parse_args()
    binary = args.lighthouse / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        raise SystemExit(
            f"{binary} is missing: npm install --prefix {args.lighthouse} --save-exact lighthouse@12.2.3"
        )
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: run `sudo make system-deps`")
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="govsite-lighthouse-"))
    env = cli_env(var_dir.resolve())
    if not (var_dir / "public" / HOST).is_dir():
        print(f"Building and publishing the demo platform in {var_dir} …", flush=True)
        build_platform(env)
    pages = page_types(var_dir / "public")
    if args.only:
        pages = {name: path for name, path in pages.items() if args.only in name}
    port = free_port()
    reports = Path(tempfile.mkdtemp(prefix="govsite-lighthouse-reports-"))
    started = time.monotonic()
    too_slow = []
    print("| Page | Address | Performance | Accessibility | Best practices | SEO | CLS | failed SEO audits "
          "| CPU index |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|", flush=True)
    serve = [*CLI, "serve", "--port", str(port)]
    with running(serve, env, port, var_dir / "bench-logs" / "lighthouse-serve.log"):
        for index, (name, path) in enumerate(pages.items()):
            # *.localhost is loopback to Chromium: the Host header names the site, as in production
            report = lighthouse(binary, f"http://{HOST}:{port}{path}", reports / f"{index}.json")
            if report is None:
                print(f"| {name} | `{path}` | no result | | | | | |", flush=True)
                too_slow.append(name)
                continue
            scores, cls, failed = summary(report)
            # Lighthouse's CPU benchmark: a quiet 2-core machine scores ~1,000+; a busy one far less,
            # and its performance scores drop with it (the total blocking time is the CPU's)
            cpu = report["environment"]["benchmarkIndex"]  # type: ignore[index]
            print(f"| {name} | `{path}` | {' | '.join(str(scores[c]) for c in CATEGORIES)} | {cls:.3f} | "
                  f"{', '.join(failed) or '–'} | {cpu:.0f} |", flush=True)  # fmt: skip
            if scores["performance"] < args.min_performance:
                too_slow.append(name)
    print(f"\n{len(pages)} pages in {time.monotonic() - started:.0f} s (reports: {reports})")
    if too_slow:
        raise SystemExit(f"below {args.min_performance} in performance: {', '.join(too_slow)}")


if __name__ == "__main__":
    main()
