"""Helpers shared by the tests and the benchmarks: one copy of each, so they all behave the same.

Real processes (`python -m govsite …`, nginx) run in a process group of their own and are stopped with
the whole group, also when the test that started them fails: a server worker must never outlive its
test. Nothing here imports Django at module level, so bench scripts can use it before django.setup().
"""

from __future__ import annotations

import atexit
import functools
import http.client
import io
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.cookiejar import CookieJar
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import Model
    from django.test import Client
    from django.test.client import _MonkeyPatchedWSGIResponse
    from playwright.sync_api import Browser, Page

    # For annotations (import it under TYPE_CHECKING): the test client's response as django-stubs
    # types it, an HttpResponse with the client's additions (`json()`, `templates`, `context`).
    ClientResponse: TypeAlias = _MonkeyPatchedWSGIResponse

T = TypeVar("T")
CLI = [sys.executable, "-m", "govsite"]
# The demo accounts' password (govsite.demo.builder.DEMO_PASSWORD, without importing Django here).
DEMO_PASSWORD = os.environ.get("GOVSITE_DEMO_PASSWORD", "Govsite-Demo-2026")
# The demo accounts' published TOTP secret (govsite.demo.twofactor.DEMO_TOTP_SECRET; docs/accounts.md).
DEMO_TOTP_SECRET = "GOVSITEDEMOTOTPSECRETONLYFORDEMO"  # noqa: S105 - published, demo only
# What a platform in a directory of its own must not inherit from the test process: the test settings
# module, the test session's database and public directory, and conftest's switch for Playwright.
_NOT_INHERITED = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "GOVSITE_PUBLIC_DIR", "DJANGO_ALLOW_ASYNC_UNSAFE")


class ServerDidNotStart(RuntimeError):
    """A server process exited or never listened; the message carries the end of its log."""


# --- Ports ---------------------------------------------------------------------------------------
@contextmanager
def local_http_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[int]:
    """A stand-in HTTP server on a free local port, in a thread, for as long as the block runs: its port."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(
    port: int, proc: subprocess.Popen[bytes] | None = None, timeout: float = 60, log: Path | None = None
) -> None:
    """Wait until something accepts connections on 127.0.0.1:port; raise with the log if it never does."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            exited = proc is not None and proc.poll() is not None
            if exited or time.monotonic() > deadline:
                what = (
                    f"exited with {proc.returncode}"
                    if exited and proc
                    else f"not listening after {timeout:.0f} s"
                )
                tail = log.read_text(errors="replace")[-5000:] if log and log.exists() else ""
                raise ServerDidNotStart(f"port {port}: {what}\n{tail}") from None
            time.sleep(0.05)


# --- Processes -----------------------------------------------------------------------------------
_running: set[int] = set()  # process group ids not stopped yet (the last resort: atexit)


def stop_process_group(proc: subprocess.Popen[bytes], timeout: float = 15) -> None:
    """SIGTERM to the process's whole group, SIGKILL to whatever is left after `timeout`.

    granian and nginx fork workers: terminating the leader alone can leave a worker without a parent.
    """
    pgid = proc.pid  # start_new_session=True: the leader's pid is the group id
    with suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=timeout)
    with suppress(ProcessLookupError):  # workers the leader did not take down, or a stuck leader
        os.killpg(pgid, signal.SIGKILL)
    proc.wait()
    _running.discard(pgid)


@atexit.register
def _stop_leftovers() -> None:
    for pgid in list(_running):
        with suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)


@contextmanager
def running(
    cmd: list[str], env: dict[str, str], port: int, log: Path, timeout: float = 60
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server in a new session, wait for its port, and stop its whole process group afterwards."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        # argv chosen by the calling test, no shell
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)  # noqa: S603
    _running.add(proc.pid)
    try:
        if port:
            wait_for_port(port, proc, timeout, log)
        yield proc
    finally:
        stop_process_group(proc)


# --- A platform in a directory of its own ---------------------------------------------------------
def cli_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of `python -m govsite …` for a platform under var_dir (SQLite, production settings)."""
    env = {name: value for name, value in os.environ.items() if name not in _NOT_INHERITED}
    return {**env, "GOVSITE_VAR_DIR": str(var_dir), "PYTHONUNBUFFERED": "1", **extra}


def run_cli(env: dict[str, str], *args: str, timeout: float = 900) -> str:
    """Run `govsite ARGS` to the end; its output, or an AssertionError that shows the output."""
    # this interpreter running govsite, with the test's arguments; no shell
    done = subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=timeout)  # noqa: S603
    if done.returncode != 0:
        raise AssertionError(
            f"govsite {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
        )
    return done.stdout


def copy_var_dir(source: Path, target: Path) -> None:
    """Everything a platform keeps under source (database, media, static, published files, cache) into
    target. The processes that wrote it have all ended, so the database file and its WAL are
    consistent; SQLite rebuilds the shared-memory index (-shm) of the copy when it first opens it."""
    import shutil

    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*-shm"), dirs_exist_ok=True)


def run_python(env: dict[str, str], script: str, cwd: Path, timeout: float = 600) -> str:
    """Run a Python script in a child process (e.g. under cli_env: SQLite, production settings, which
    the script's django.setup() reads); its output, or an AssertionError that shows its errors."""
    env = {"DJANGO_SETTINGS_MODULE": "govsite.settings", **env}
    # this interpreter running the test's own script; no shell
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise AssertionError(f"the script failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return done.stdout


# What `make run` does before serving, step by step (`demo` takes the demo arguments).
PLATFORM_STEPS = (
    ("migrate", "--noinput", "-v0"),
    ("collectstatic", "--noinput", "-v0"),
    ("demo", "-v0"),
    ("publish", "--no-progress"),
)


def build_platform(env: dict[str, str], *demo_args: str) -> None:
    """What `make run` does before serving: migrate, collectstatic, the demo platform, publish."""
    for step in PLATFORM_STEPS:
        run_cli(env, *step, *(demo_args if step[0] == "demo" else ()))


class BackgroundPlatformBuild:
    """build_platform() in a thread of its own, started as soon as the session knows it needs the
    platform: the build runs in child processes while the session goes on with its other tests, and
    `wait()` gives the result to the first fixture that needs it (the SQLite pass's longest setup,
    ~160 s, off its critical path). Each step runs in a process group of its own, stopped by `stop()`
    (or atexit) if the session ends first."""

    def __init__(self, env: dict[str, str], *demo_args: str) -> None:
        self._env = env
        self._demo_args = demo_args
        self._error: BaseException | None = None
        self._current: subprocess.Popen[str] | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="platform-build", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for step in PLATFORM_STEPS:
                self._step([*step, *(self._demo_args if step[0] == "demo" else ())])
        except BaseException as exc:  # handed to the waiting test's thread
            self._error = exc

    def _step(self, args: list[str]) -> None:
        if self._stopped:
            raise RuntimeError("the platform build was stopped")
        # this interpreter running govsite with the build's arguments; no shell
        proc = subprocess.Popen(  # noqa: S603
            [*CLI, *args],
            env=self._env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self._current = proc
        _running.add(proc.pid)
        try:
            stdout, stderr = proc.communicate(timeout=900)
        finally:
            _running.discard(proc.pid)
            self._current = None
        if proc.returncode != 0:
            raise AssertionError(f"govsite {' '.join(args)} failed:\n{stdout[-3000:]}\n{stderr[-5000:]}")

    def wait(self) -> None:
        """Block until the build is done; raise what made it fail."""
        self._thread.join()
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        """Stop a build still running (the session ended before any test needed it)."""
        self._stopped = True
        proc = self._current
        if proc is not None and proc.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        self._thread.join(timeout=30)


@dataclass
class PublishedDemo:
    """A platform of its own (SQLite, production settings) under var_dir, published to files."""

    var_dir: Path
    env: dict[str, str]

    @property
    def public(self) -> Path:
        return self.var_dir / "public"

    @property
    def database(self) -> Path:
        return self.var_dir / "db.sqlite3"

    def hosts(self) -> list[str]:
        return sorted(p.name for p in self.public.iterdir() if p.is_dir() and not p.name.startswith("."))


# --- HTTP ----------------------------------------------------------------------------------------
def http_request(
    port: int,
    path: str,
    host: str,
    method: str = "GET",
    body: bytes | None = None,
    addr: str = "127.0.0.1",
    timeout: float = 30,
    **headers: str,
) -> tuple[int, dict[str, str], bytes]:
    """One raw request with the Host header given (header names: Accept_Encoding → Accept-Encoding).

    http.client sends the path as it is: tests of odd paths need exactly that.
    """
    conn = http.client.HTTPConnection(addr, port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host)
        for name, value in headers.items():
            conn.putheader(name.replace("_", "-"), value)
        if body is not None:
            conn.putheader("Content-Type", "application/x-www-form-urlencoded")
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Visitor:
    """One browser of running application nodes: its cookies (for 127.0.0.1, whichever node's port)
    and the last form's CSRF token."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect)
        self.csrf = ""

    def open(self, port: int, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        """(status, Location, body); a form's CSRF token is sent with every post."""
        body = None
        if data is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf, **data}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body)
        request.add_header("Referer", f"http://127.0.0.1:{port}{path}")
        try:
            with self.opener.open(request, timeout=60) as response:
                status, location, text = response.status, "", response.read().decode()
        except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx
            status, location, text = error.code, error.headers.get("Location", ""), error.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if token:
            self.csrf = token.group(1)
        return status, location, text


# --- Documents editors upload --------------------------------------------------------------------
def docx_bytes(text: str) -> bytes:
    """A real Word document (python-docx) with one paragraph."""
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(*cells: str) -> bytes:
    """A real spreadsheet (openpyxl) with one row."""
    return xlsx_rows([list(cells)])


def xlsx_rows(rows: Sequence[Sequence[object]]) -> bytes:
    """A real spreadsheet (openpyxl) with these rows on its first sheet."""
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Demo accounts -------------------------------------------------------------------------------
def demo_user(username: str) -> User:
    """A demo account by name (admin, kjt-editor, kjt-reviewer1, …): Django's own user model."""
    from django.contrib.auth.models import User

    return User.objects.get(username=username)


def verify_second_factor(client: Client, user: User) -> None:
    """Mark a logged-in test client's session as having proved the second factor, the way the code
    step does: django_otp.login() with a real confirmed device of the user (made if it has none)."""
    from django.http import HttpRequest
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="测试身份验证器", confirmed=True)
    request = HttpRequest()
    request.session = client.session
    request.user = user
    otp_login(request, device)
    request.session.save()


@functools.cache
def _verified_client_class() -> type[Client]:
    from django.test import Client

    class VerifiedClient(Client):
        """A test client whose force_login() also proves the second factor (verify_second_factor)."""

        def force_login(self, user: User, backend: str | None = None) -> None:
            super().force_login(user, backend)
            verify_second_factor(self, user)

    return VerifiedClient


def verified_client(**defaults: Any) -> Client:
    """The suite's test client (conftest's `client` fixture; benchmarks): force_login() gives an admin
    session that passed both factors, as a real login does. `defaults` as for Django's Client."""
    return _verified_client_class()(**defaults)


_used_steps: dict[str, int] = {}
_steps_lock = threading.Lock()


def demo_totp_code(username: str) -> str:
    """The second-factor code of a demo account, computed as its authenticator app would.

    The server accepts each time step of a device once (and one step of clock drift): a second login
    of the same account within 30 s uses the next step's code, waiting for it if need be.
    """
    from base64 import b32decode

    from django_otp.oath import TOTP

    totp = TOTP(b32decode(DEMO_TOTP_SECRET))
    with _steps_lock:
        step = max(totp.t(), _used_steps.get(username, -1) + 1)
        while step > totp.t() + 1:
            time.sleep(1)
            totp.time = time.time()
        _used_steps[username] = step
    totp.time = step * totp.step
    return f"{totp.token():06d}"


def log_in(page: Page, base_url: str, username: str) -> Page:
    """Log a browser page in to the admin as a demo account (password, then the demo authenticator's
    code); it ends on the dashboard."""
    import re

    from playwright.sync_api import expect

    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/security/two-factor/verify/"))
    page.fill("#id_code", demo_totp_code(username))
    page.get_by_role("button", name="验证", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return page


def browser_log_in(browser: Browser, base_url: str, username: str) -> Page:
    """A new browser context (relative addresses go to base_url) logged in as a demo account."""
    return log_in(browser.new_context(base_url=base_url).new_page(), base_url, username)


def at_once(work: Callable[[T], object], items: Sequence[T]) -> list[BaseException]:
    """Run `work(item)` for every item in a thread of its own, all released together; the errors.

    Each thread has its own database connection (closed at its end). The suite's in-memory SQLite
    database (shared cache) answers a locked table at once instead of waiting like the file database
    (timeout=20), so a "locked" error retries the whole call, as that wait would; PostgreSQL waits on
    the lock itself. Use it with `pytest.mark.django_db(transaction=True)`.
    """
    from django.db import OperationalError, connection

    barrier = threading.Barrier(len(items))
    errors: list[BaseException] = []

    def run(item: T) -> None:
        try:
            barrier.wait()
            for _attempt in range(200):
                try:
                    work(item)
                    return
                except OperationalError as exc:
                    if connection.vendor != "sqlite" or "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
            raise TimeoutError("the database stayed locked")
        except BaseException as exc:  # reported on the caller's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def solve_captcha(question: str) -> int:
    """The captcha's arithmetic question (“七加五等于几？”, or its label “验证问题：…”), answered."""
    from govsite.core.captcha import chinese_number

    numbers = {chinese_number(n): n for n in range(21)}
    body = question.rsplit("：", 1)[-1].split("等于几", 1)[0]
    op = "加" if "加" in body else "减"
    a, b = body.split(op)
    return numbers[a] + numbers[b] if op == "加" else numbers[a] - numbers[b]


def assert_captcha_guards(
    post: Callable[[dict[str, object]], ClientResponse], data: Mapping[str, object], kept: str
) -> None:
    """A public form with the captcha on: no answer or a wrong one → 400 with the message next to the
    answer field and `kept` (from `data`) typed in again; 换一题 → the form again with `kept`; the right
    answer → sent (a redirect)."""
    from govsite.core.captcha import ANSWER_FIELD, REFRESH_FIELD, TOKEN_FIELD, new_challenge

    question, token = new_challenge()
    for answer, message in (("", "请回答验证问题"), ("99", "验证问题回答不正确")):
        response = post({**data, TOKEN_FIELD: token, ANSWER_FIELD: answer})
        html = response.content.decode()
        assert response.status_code == 400, (answer, response.status_code)  # noqa: S101 - a test helper
        assert f'id="id_{ANSWER_FIELD}_error">{message}' in html and kept in html  # noqa: S101 - a test helper
    again = post({**data, TOKEN_FIELD: token, ANSWER_FIELD: "", REFRESH_FIELD: "1"})
    html = again.content.decode()
    assert again.status_code == 200 and kept in html and "验证问题：" in html and ">换一题<" in html  # noqa: S101 - a test helper
    sent = post({**data, TOKEN_FIELD: token, ANSWER_FIELD: str(solve_captcha(question))})
    assert sent.status_code == 302, sent.content.decode()[-3000:]  # noqa: S101 - a test helper


def site_handler(username: str, department: str) -> User:
    """A new user in the department's 网站管理员 group, which handles the site's cases and messages."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, f"{username}@example.com", "x")
    user.groups.add(Group.objects.get(name=f"{department}-网站管理员"))
    return user


def stored_columns(model: type[Model], pk: int, columns: Sequence[str]) -> dict[str, str]:
    """A row's columns as the database holds them (raw SQL, past any field's decryption: 等保 E8 tests)."""
    from django.db import connection

    quote = connection.ops.quote_name
    sql = f"SELECT {', '.join(map(quote, columns))} FROM {quote(model._meta.db_table)} WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        return dict(zip(columns, cursor.fetchone(), strict=True))


def run_data_migration(module: str, direction: str) -> None:
    """Run a migration module's RunPython function (`encrypt_rows`/`decrypt_rows`) on the test database."""
    import importlib

    from django.apps import apps
    from django.db import connection

    function = getattr(importlib.import_module(module), direction)
    function(apps, type("SchemaEditor", (), {"connection": connection})())
