"""留言 submissions under load, with a server worker killed in the middle: no message is ever lost.

    .venv/bin/python bench/message_submissions.py [--var-dir DIR] [--submissions 200] [--concurrency 50]

A platform of its own (SQLite, production settings; migrate, collectstatic and demo unless --var-dir
names one) is served by `govsite serve` (2 granian workers) with the captcha and the submission rate
limit off (GOVSITE_CAPTCHA=0, GOVSITE_MESSAGE_SUBMIT_LIMIT=0). Each simulated person opens the form (/liuyan/,
for the CSRF cookie), posts a message carrying a unique marker, follows the redirect to the receipt and
reads its 留言编号. When half of the submissions have been sent, one granian worker is killed (SIGKILL).

Then the database is checked: every 留言编号 a person saw is stored, with that person's marker, and no
number is stored twice. A request that failed (the killed worker's) gave its person no number; whether
it was stored anyway is reported (`committed without receipt`), as a person would see it: an error page,
try again. Printed: throughput (completed submissions per second) and the latency percentiles.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import signal
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from govsite.testing import CLI, cli_env, free_port, run_cli, running

HOST = "kjt.localhost"
MARKER = "BENCH-LY-"  # + the run's id + the submission's index: unique across runs on one platform


@dataclass
class Outcome:
    marker: str
    number: str | None
    seconds: float
    error: str = ""


def children(pid: int) -> list[int]:
    """Child process ids of `pid` (from /proc: no psutil needed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def submit(base: str, run_id: str, index: int) -> Outcome:
    marker = f"{MARKER}{run_id}-{index:05d}"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("Host", HOST)]
    start = time.perf_counter()
    try:
        form = opener.open(f"{base}/liuyan/", timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        channel = re.search(r'name="channel" value="(\d+)"', form).group(1)  # type: ignore[union-attr]
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "channel": channel,
                "subject": f"压力测试留言 {marker}",
                "content": f"{marker}：这是一条压力测试留言。",
                "name": "测试人",
                "phone": "13800000000",
                "publish_allowed": "0",
            }
        ).encode()
        headers = {"Referer": f"{base}/liuyan/"}
        request = urllib.request.Request(f"{base}/liuyan/", data=data, headers=headers)  # noqa: S310 - http only
        receipt = opener.open(request, timeout=60).read().decode()
        number = re.search(r'class="receipt-number">([^<]+)<', receipt)
        if number is None:
            return Outcome(marker, None, time.perf_counter() - start, "no number on the page")
        return Outcome(marker, number.group(1), time.perf_counter() - start)
    except (OSError, urllib.error.URLError, AttributeError) as error:
        return Outcome(marker, None, time.perf_counter() - start, type(error).__name__)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


def run(var_dir: Path, submissions: int, concurrency: int) -> int:
    env = cli_env(
        var_dir, GOVSITE_CAPTCHA="0", GOVSITE_MESSAGE_SUBMIT_LIMIT="0", GOVSITE_TASK_BACKEND="immediate"
    )
    if not (var_dir / "db.sqlite3").exists():
        print("building the platform (migrate, demo)…", flush=True)
        run_cli(env, "migrate", "--noinput", "-v0")
        run_cli(env, "collectstatic", "--noinput", "-v0")
        run_cli(env, "demo", "-v0")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [*CLI, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"]
    outcomes: list[Outcome] = []
    killed: list[int] = []
    run_id = f"{int(time.time()):x}"
    with running(cmd, env, port, var_dir / "bench-serve.log") as server:
        time.sleep(2)
        done = threading.Semaphore(0)

        def one(index: int) -> Outcome:
            outcome = submit(base, run_id, index)
            done.release()
            return outcome

        def killer() -> None:
            for _ in range(submissions // 2):
                done.acquire()
            workers = children(server.pid)
            if workers:
                os.kill(workers[0], signal.SIGKILL)
                killed.append(workers[0])

        threading.Thread(target=killer, daemon=True).start()
        start = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            outcomes = list(pool.map(one, range(submissions)))
        elapsed = time.perf_counter() - start

    db = sqlite3.connect(var_dir / "db.sqlite3")
    rows = db.execute(
        "SELECT m.number, m.content FROM govsite_interaction_message m "
        "JOIN wagtailcore_site s ON s.id = m.origin_site_id WHERE s.hostname = ? AND m.content LIKE ?",
        (HOST, f"{MARKER}{run_id}-%"),
    ).fetchall()
    stored: dict[str, list[str]] = {}
    for number, content in rows:
        stored.setdefault(number, []).append(content.split("：", 1)[0])
    received = [o for o in outcomes if o.number]
    lost = [o for o in received if o.marker not in stored.get(o.number or "", [])]
    twice = [n for n, markers in stored.items() if len(markers) > 1]
    seen = {o.marker for o in received}
    unreceipted = [m for markers in stored.values() for m in markers if m not in seen]
    latencies = [o.seconds for o in received]
    errors: dict[str, int] = {}
    for o in outcomes:
        if not o.number:
            errors[o.error] = errors.get(o.error, 0) + 1
    print(f"submissions: {submissions}, concurrency {concurrency}, worker killed: {killed or 'none found'}")
    print(f"received a 留言编号: {len(received)}; failed: {len(outcomes) - len(received)} {errors or ''}")
    print(f"stored with the marker: {len(rows)}; lost (number shown, not stored): {len(lost)}")
    print(f"numbers stored twice: {len(twice)}; committed without receipt: {len(unreceipted)}")
    print(f"throughput: {len(received) / elapsed:.1f} submissions/s over {elapsed:.1f} s")
    if latencies:
        print(
            f"latency (form + post + receipt): p50 {statistics.median(latencies) * 1000:.0f} ms, "
            f"p95 {percentile(latencies, 95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
        )
    return 1 if lost or twice else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--var-dir", type=Path, help="a platform built before (else a fresh one)")
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="govsite-bench-ly-"))
    return run(var_dir.resolve(), args.submissions, args.concurrency)


if __name__ == "__main__":
    sys.exit(main())
