"""Test configuration shared by unit and browser tests."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("GOVSITE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
_media_root = Path(tempfile.mkdtemp(prefix="govsite-test-media-"))


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Tests run before (and without) collectstatic: serve static files unhashed from the apps.
    from django.test.signals import setting_changed

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Storages may already be cached by app loading: tell Django to rebuild them.
    setting_changed.send(sender=None, setting="STORAGES", value=settings.STORAGES, enter=True)
    # The cache is shared by processes through files under var/: tests get their own directory.
    if settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
        settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": _media_root / "cache"}}
        setting_changed.send(sender=None, setting="CACHES", value=settings.CACHES, enter=True)
    settings.MEDIA_ROOT = _media_root / "media"
    settings.GOVSITE_PUBLIC_DIR = _media_root / "public"
    # Background tasks (rebuilds, text extraction, ...) run at once, in the test: the one place
    # tests choose the immediate backend. Tests of the database backend override TASKS themselves.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_media_root, ignore_errors=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Drive Debian's Chromium; a missing browser is a failure, never a skip."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-deps` (as root) first.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: object) -> None:
    """Every database test starts from the demo platform, built once per session."""
    from govsite.demo.builder import build_demo

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        build_demo(port=80)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory):
    """The demo platform as `make run` serves it: a fresh var/ dir, migrate, demo, a real server.

    Browser tests run against this process, so they see exactly what a reader sees.
    """
    import subprocess
    import sys
    import time
    import urllib.request

    var_dir = tmp_path_factory.mktemp("demo-var")
    port = _free_port()
    env = {**os.environ, "GOVSITE_VAR_DIR": str(var_dir), "PORT": str(port)}
    env.pop("DATABASE_URL", None)  # the browser suite runs on the embedded default (SQLite)
    cli = [sys.executable, "-m", "govsite"]
    for step in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"], ["demo", "-v0"]):
        subprocess.run([*cli, *step], env=env, check=True, capture_output=True)
    log = (var_dir / "server.log").open("w")
    server = subprocess.Popen(
        [*cli, "runserver", f"127.0.0.1:{port}", "--noreload"], env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/robots.txt", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("demo server did not start: " + (var_dir / "server.log").read_text())
    yield base
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def database_tasks(settings, monkeypatch: pytest.MonkeyPatch):
    """Tasks on the database backend, as in production: enqueued tasks wait as rows until a worker
    (`db_worker --batch`, in this process) runs them. The worker's connection check is skipped: in
    a test the connection is inside the test's transaction and must stay open."""
    import signal

    from django_tasks_db.management.commands import db_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in handlers.items():  # db_worker installs its own
        signal.signal(sig, handler)
