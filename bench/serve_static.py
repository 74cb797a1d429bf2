"""Serving benchmark: published files against their baselines, measured in ONE run on loopback.

    .venv/bin/python bench/serve_static.py [--var-dir DIR] [--duration 10] [--connections 32] [--repeats 3]

(a) nginx with the config from `govsite nginx-config` serving the published seed article, against
    nginx serving the same bytes as a plain file from a minimal config (target ratio ≥ 0.9);
(b) the embedded server (`govsite serve`, 2 workers) on the same article, against Wagtail
    rendering the page per request (govsite.wsgi under granian, 2 workers, no files; ≥ 15);
(c) the embedded server's RSS before and after load, including a large file streamed to several
    clients at once (it must stay flat).

Every side of a comparison gets the same treatment: the same warm-up (--warmup seconds of load, not
counted), the same number of measured runs (--repeats; the median run is reported), the same
connections, and the same processes (nginx: `worker_processes auto` in both configs; the embedded
server and Wagtail: --workers granian workers with 4 threads each, `govsite serve`'s default).

Needs nginx and wrk (scripts/system-deps.sh). Without --var-dir, a fresh platform is built first
(migrate, collectstatic, demo, publish: a few minutes). Machines are noisy: compare the ratios.
"""

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from govsite.testing import CLI, build_platform, cli_env, free_port, running

SEED_TITLE = "张江示范区十年发展探索之路"
HOST = "kjt.localhost"
THREADS = 4  # per granian worker: `govsite serve`'s default, given to Wagtail's granian too


@dataclass
class Result:
    name: str
    rps: float
    p50: str
    p99: str
    errors: str


@dataclass
class Load:
    """How every side is measured: the same for all of them."""

    duration: int
    connections: int
    warmup: int
    repeats: int


def wrk(name: str, url: str, duration: int, connections: int, host: str = HOST) -> Result:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-H", f"Host: {host}", url],
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1)  # type: ignore[union-attr]
    p99 = re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1)  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: (.*)", out)
    errors = ", ".join(x for x in [bad and f"non-2xx {bad.group(1)}", sock and sock.group(1)] if x) or "0"
    return Result(name, rps, p50, p99, errors)


def measure(name: str, url: str, load: Load) -> Result:
    """Warm-up (not counted), then `repeats` runs; the median run by req/s, with every run's req/s shown."""
    c, d = load.connections, load.duration
    if load.warmup:
        wrk(name, url, load.warmup, c)
    runs = sorted((wrk(name, url, d, c) for _ in range(load.repeats)), key=lambda r: r.rps)
    median = runs[len(runs) // 2]
    spread = " / ".join(f"{r.rps:,.0f}" for r in runs)
    print(f"  {name}: {median.rps:,.0f} req/s (runs {spread})  p50 {median.p50}  p99 {median.p99}  "
          f"errors {median.errors}", flush=True)  # fmt: skip
    return median


def tree_rss_kib(pid: int) -> int:
    """RSS of a process and all its descendants (granian runs one process per worker)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                todo.extend(int(c) for c in children)
        except (OSError, AttributeError):
            continue
    return total


def machine() -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    return (
        f"{os.cpu_count()} × {cpu}, {mem / 1024 / 1024:.1f} GiB RAM, {platform.platform()}, "
        f"Python {platform.python_version()}, {nginx}"
    )


def seed_article(public: Path) -> tuple[str, Path]:
    site = public / HOST
    for path in sorted(site.rglob("t*.html")):
        if path.relative_to(site).parts[0] == "elder":
            continue
        if SEED_TITLE in path.read_text(encoding="utf-8", errors="replace"):
            return "/" + path.relative_to(site).as_posix(), path
    raise SystemExit(f"the seed article is not published under {site}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--var-dir", type=Path, help="an existing GOVSITE_VAR_DIR with published sites")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load before each side (default 3)")
    parser.add_argument("--repeats", type=int, default=3, help="measured runs per side (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="granian workers, embedded server and Wagtail")
    args = parser.parse_args()
    for tool in ("nginx", "wrk"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: run `sudo make system-deps`")

    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="govsite-bench-"))
    env = cli_env(var_dir.resolve())
    public = var_dir / "public"
    if not (public / HOST).is_dir():
        print(f"Building and publishing the demo platform in {var_dir} …", flush=True)
        build_platform(env)
    url_path, article = seed_article(public)
    print(f"Machine: {machine()}")
    print(f"Page: {url_path} ({article.stat().st_size:,} bytes of HTML)\n", flush=True)
    load = Load(args.duration, args.connections, args.warmup, args.repeats)
    workers = str(args.workers)
    print(f"Load for every side: {load.warmup} s warm-up, then {load.repeats} runs of {load.duration} s, "
          f"{load.connections} connections\n", flush=True)  # fmt: skip
    logs = var_dir / "bench-logs"
    logs.mkdir(exist_ok=True)
    results: dict[str, Result] = {}

    # (a) nginx, generated config vs minimal config serving the same bytes
    serve_port, nginx_port, plain_port = free_port(), free_port(), free_port()
    conf = var_dir / "nginx" / "bench-nginx.conf"
    subprocess.run(
        [*CLI, "nginx-config", "--listen", str(nginx_port), "--upstream", f"http://127.0.0.1:{serve_port}",
         "--user", "root" if os.geteuid() == 0 else os.environ.get("USER", "nobody"), "--no-ipv6",
         "--output", str(conf)],
        env=env, check=True,
    )  # fmt: skip
    plain_root = var_dir / "bench-plain"
    plain_root.mkdir(exist_ok=True)
    shutil.copyfile(article, plain_root / "article.html")
    plain_conf = var_dir / "nginx" / "bench-plain.conf"
    plain_conf.write_text(
        f"worker_processes auto;\npid {var_dir}/nginx/plain.pid;\n"
        f"error_log {var_dir}/nginx/plain-error.log;\n"
        f"{'user root;' if os.geteuid() == 0 else ''}\nevents {{ worker_connections 4096; }}\n"
        f"http {{\n  types {{ text/html html; }}\n  access_log off;\n  sendfile on;\n"
        f"  client_body_temp_path {var_dir}/nginx/client_body;\n  proxy_temp_path {var_dir}/nginx/proxy;\n"
        f"  fastcgi_temp_path {var_dir}/nginx/fastcgi;\n  uwsgi_temp_path {var_dir}/nginx/uwsgi;\n"
        f"  scgi_temp_path {var_dir}/nginx/scgi;\n"
        f"  server {{ listen 127.0.0.1:{plain_port}; root {plain_root}; }}\n}}\n"
    )
    nginx_cmd = ["nginx", "-e", "stderr", "-g", "daemon off;", "-c"]
    print("(a) nginx", flush=True)
    with running([*nginx_cmd, str(plain_conf)], env, plain_port, logs / "nginx-plain.log"):
        results["nginx_plain"] = measure(
            "nginx, minimal config, plain file", f"http://127.0.0.1:{plain_port}/article.html", load
        )
    with running([*nginx_cmd, str(conf)], env, nginx_port, logs / "nginx-govsite.log"):
        results["nginx_govsite"] = measure(
            "nginx, generated config", f"http://127.0.0.1:{nginx_port}{url_path}", load
        )

    # (b) + (c) embedded server vs Wagtail per request
    print("(b) embedded server vs Wagtail", flush=True)
    serve_cmd = [*CLI, "serve", "--port", str(serve_port), "--workers", workers, "--threads", str(THREADS)]
    with running(serve_cmd, env, serve_port, logs / "serve.log") as proc:
        url = f"http://127.0.0.1:{serve_port}{url_path}"
        rss_before = tree_rss_kib(proc.pid)
        results["serve"] = measure(f"govsite serve ({workers} workers), published file", url, load)
        rss_after_page = tree_rss_kib(proc.pid)
        big = Path(env["GOVSITE_VAR_DIR"]) / "media" / "bench" / "big.bin"
        big.parent.mkdir(parents=True, exist_ok=True)
        with big.open("wb") as fh:
            fh.truncate(64 * 1024 * 1024)  # 64 MiB (sparse: reading it costs no disk)
        big_url = f"http://127.0.0.1:{serve_port}/media/bench/big.bin"
        big_load = Load(max(3, load.duration // 2), 8, load.warmup, 1)  # memory, not speed: one run
        results["serve_big"] = measure("govsite serve, 64 MiB media file, 8 clients", big_url, big_load)
        rss_after_big = tree_rss_kib(proc.pid)
        big.unlink()
    wagtail_port = free_port()
    granian = [sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", workers, "--no-ws"]
    granian += ["--blocking-threads", str(THREADS)]
    wagtail_cmd = [*granian, "--host", "127.0.0.1", "--port", str(wagtail_port), "govsite.wsgi:application"]
    with running(wagtail_cmd, env, wagtail_port, logs / "wagtail.log"):
        url = f"http://127.0.0.1:{wagtail_port}{url_path}"
        curl = ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", f"Host: {HOST}", url]
        warm = subprocess.run(curl, capture_output=True, text=True)
        if warm.stdout != "200":
            raise SystemExit(f"Wagtail did not render {url_path}: {warm.stdout}")
        results["wagtail"] = measure(f"Wagtail rendering per request (granian, {workers} workers)", url, load)

    def ratio(top: str, bottom: str) -> float:
        """0 req/s below (a run too short for one slow response to finish) gives inf, not a crash."""
        return results[top].rps / results[bottom].rps if results[bottom].rps else float("inf")

    a, b = ratio("nginx_govsite", "nginx_plain"), ratio("serve", "wagtail")
    print("\n| Path | req/s | p50 | p99 | errors |\n|---|---|---|---|---|")
    for r in results.values():
        print(f"| {r.name} | {r.rps:,.0f} | {r.p50} | {r.p99} | {r.errors} |")
    print(f"\n(a) nginx generated / minimal: {a:.2f}  (target ≥ 0.9)")
    print(f"(b) embedded server / Wagtail per request: {b:.1f}×  (target ≥ 15)")
    print(f"    embedded server / nginx generated: {ratio('serve', 'nginx_govsite'):.2f}")
    print(
        f"(c) embedded server RSS (all processes): {rss_before / 1024:.1f} MiB before, "
        f"{rss_after_page / 1024:.1f} MiB after the page load, {rss_after_big / 1024:.1f} MiB after "
        f"streaming the 64 MiB file"
    )
    if args.var_dir is None:
        print(f"\n(var dir kept for reruns: --var-dir {var_dir})")


if __name__ == "__main__":
    main()
