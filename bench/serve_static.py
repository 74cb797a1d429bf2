"""Serving benchmark: published files against their baselines, measured in ONE run on loopback.

    .venv/bin/python bench/serve_static.py [--var-dir DIR] [--duration 10] [--connections 32]

(a) nginx with the config from `govsite nginx-config` serving the published seed article, against
    nginx serving the same bytes as a plain file from a minimal config (target ratio ≥ 0.9);
(b) the embedded server (`govsite serve`, 2 workers) on the same article, against Wagtail
    rendering the page per request (govsite.wsgi under granian, 2 workers, no files; ≥ 15);
(c) the embedded server's RSS before and after load, including a large file streamed to several
    clients at once (it must stay flat).

Needs nginx and wrk (scripts/system-deps.sh). Without --var-dir, a fresh platform is built first
(migrate, collectstatic, demo, publish: a few minutes). Machines are noisy: compare the ratios.
"""

import argparse
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CLI = [sys.executable, "-m", "govsite"]
SEED_TITLE = "张江示范区十年发展探索之路"
HOST = "kjt.localhost"


@dataclass
class Result:
    name: str
    rps: float
    p50: str
    p99: str
    errors: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, proc: subprocess.Popen | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if proc is not None and proc.poll() is not None:
                raise SystemExit(f"server on port {port} exited with {proc.returncode}") from None
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on port {port}")


@contextmanager
def process(cmd: list[str], env: dict[str, str], port: int, log: Path) -> Iterator[subprocess.Popen]:
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(port, proc)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wrk(name: str, url: str, duration: int, connections: int, host: str = HOST) -> Result:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-H", f"Host: {host}", url],
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"50%\s+(\S+)", out).group(1)  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+(\S+)", out).group(1)  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: (.*)", out)
    errors = ", ".join(x for x in [bad and f"non-2xx {bad.group(1)}", sock and sock.group(1)] if x) or "0"
    print(f"  {name}: {rps:,.0f} req/s  p50 {p50}  p99 {p99}  errors {errors}", flush=True)
    return Result(name, rps, p50, p99, errors)


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


def build(var_dir: Path, env: dict[str, str]) -> None:
    for step in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"], ["demo", "-v0"]):
        subprocess.run([*CLI, *step], env=env, check=True)
    subprocess.run([*CLI, "publish", "--no-progress"], env=env, check=True)


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
    args = parser.parse_args()
    for tool in ("nginx", "wrk"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: run `sudo make system-deps`")

    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="govsite-bench-"))
    env = {**os.environ, "GOVSITE_VAR_DIR": str(var_dir.resolve())}
    env.pop("DATABASE_URL", None)
    public = var_dir / "public"
    if not (public / HOST).is_dir():
        print(f"Building and publishing the demo platform in {var_dir} …", flush=True)
        build(var_dir, env)
    url_path, article = seed_article(public)
    print(f"Machine: {machine()}")
    print(f"Page: {url_path} ({article.stat().st_size:,} bytes of HTML)\n", flush=True)
    d, c = args.duration, args.connections
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
    with process([*nginx_cmd, str(plain_conf)], env, plain_port, logs / "nginx-plain.log"):
        results["nginx_plain"] = wrk(
            "nginx, minimal config, plain file", f"http://127.0.0.1:{plain_port}/article.html", d, c
        )
    with process([*nginx_cmd, str(conf)], env, nginx_port, logs / "nginx-govsite.log"):
        results["nginx_govsite"] = wrk(
            "nginx, generated config", f"http://127.0.0.1:{nginx_port}{url_path}", d, c
        )

    # (b) + (c) embedded server vs Wagtail per request
    print("(b) embedded server vs Wagtail", flush=True)
    serve_cmd = [*CLI, "serve", "--port", str(serve_port), "--workers", "2"]
    with process(serve_cmd, env, serve_port, logs / "serve.log") as proc:
        url = f"http://127.0.0.1:{serve_port}{url_path}"
        subprocess.run(
            ["wrk", "-t1", "-c4", "-d2s", "-H", f"Host: {HOST}", url], capture_output=True, check=True
        )
        rss_before = tree_rss_kib(proc.pid)
        results["serve"] = wrk("govsite serve (2 workers), published file", url, d, c)
        rss_after_page = tree_rss_kib(proc.pid)
        big = Path(env["GOVSITE_VAR_DIR"]) / "media" / "bench" / "big.bin"
        big.parent.mkdir(parents=True, exist_ok=True)
        with big.open("wb") as fh:
            fh.truncate(64 * 1024 * 1024)  # 64 MiB (sparse: reading it costs no disk)
        big_url = f"http://127.0.0.1:{serve_port}/media/bench/big.bin"
        results["serve_big"] = wrk("govsite serve, 64 MiB media file, 8 clients", big_url, max(3, d // 2), 8)
        rss_after_big = tree_rss_kib(proc.pid)
        big.unlink()
    wagtail_port = free_port()
    granian = [sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", "2", "--no-ws"]
    wagtail_cmd = [*granian, "--host", "127.0.0.1", "--port", str(wagtail_port), "govsite.wsgi:application"]
    with process(wagtail_cmd, env, wagtail_port, logs / "wagtail.log"):
        url = f"http://127.0.0.1:{wagtail_port}{url_path}"
        curl = ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", f"Host: {HOST}", url]
        warm = subprocess.run(curl, capture_output=True, text=True)
        if warm.stdout != "200":
            raise SystemExit(f"Wagtail did not render {url_path}: {warm.stdout}")
        results["wagtail"] = wrk("Wagtail rendering per request (granian, 2 workers)", url, d, c)

    a = results["nginx_govsite"].rps / results["nginx_plain"].rps
    b = results["serve"].rps / results["wagtail"].rps
    print("\n| Path | req/s | p50 | p99 | errors |\n|---|---|---|---|---|")
    for r in results.values():
        print(f"| {r.name} | {r.rps:,.0f} | {r.p50} | {r.p99} | {r.errors} |")
    print(f"\n(a) nginx generated / minimal: {a:.2f}  (target ≥ 0.9)")
    print(f"(b) embedded server / Wagtail per request: {b:.1f}×  (target ≥ 15)")
    print(f"    embedded server / nginx generated: {results['serve'].rps / results['nginx_govsite'].rps:.2f}")
    print(
        f"(c) embedded server RSS (all processes): {rss_before / 1024:.1f} MiB before, "
        f"{rss_after_page / 1024:.1f} MiB after the page load, {rss_after_big / 1024:.1f} MiB after "
        f"streaming the 64 MiB file"
    )
    if args.var_dir is None:
        print(f"\n(var dir kept for reruns: --var-dir {var_dir})")


if __name__ == "__main__":
    main()
