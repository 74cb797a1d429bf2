"""Test configuration shared by unit and browser tests.

Test settings live in govsite.settings_test (pyproject.toml points pytest at it); helpers shared by
tests live in govsite.testing. Here: the session's fixtures, each platform built once.
"""

import os
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from govsite.core.catalogues import compile_catalogues
from govsite.testing import (
    CLI,
    BackgroundPlatformBuild,
    PublishedDemo,
    cli_env,
    copy_var_dir,
    free_port,
    run_cli,
    running,
    verified_client,
)

# The admin's Chinese catalogues (.mo) before Django reads any, also when pytest runs without make.
compile_catalogues()

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


# Fixtures that build a whole platform in subprocesses, always on SQLite (govsite.testing.cli_env drops
# DATABASE_URL): marked `platform`, the same on either engine (CI runs them in one pass).
PLATFORM_FIXTURES = {"platform_template", "published_demo", "demo_server", "database_before_the_moves"}
# Those whose platform is the session's platform build (`platform_template`) are marked `platform_build`
# too: CI runs them in its SQLite pass, which builds it once (.ci/run).


# The ways a test reaches the test database; pytest-django refuses it to every other test. A test with
# none of them is the same on either engine (its child processes, if any, run on SQLite or only read
# settings): marked `no_database` (`make test-db` leaves it out; CI runs it in one pass).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
    "committed_db",
}


def run_order(item: pytest.Item) -> int:
    """0: most tests, 1: tests of real processes on the committed database, 2: transactional tests."""
    if item.get_closest_marker("postgresql"):
        return 1
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return 2
    return 2 if {"transactional_db", "live_server"} & fixtures else 0


# CI's two passes run side by side, one per core (.ci/run; docs/testing.md, "CI time"). Each test runs in
# exactly one of them (marker `ci_sqlite` or `ci_postgresql`, set below), except the database tests marked
# `both_engines` (their behaviour depends on the engine: full-text search, row locks and task claiming,
# raw SQL, data migrations, date functions), which run in both. The SQLite pass runs every browser test,
# every test of the session's platform build (about 750 s of its wall time with its session database)
# and the tests of the apps below, which publish whole sites (PostgreSQL takes 1.7-2.5 times as long for
# those, 1.3-1.5 for the rest); the PostgreSQL pass runs the tests of every other directory, a new app's
# included. Chosen to even out the two passes (measured per directory, docs/testing.md); move a directory
# when they drift apart. `make test` and `make test-db` ignore the split.
SQLITE_PASS_DIRS = {"annualreport", "inspection", "monitoring", "publishing"}
# Tasks on the database backend: claiming (SELECT ... FOR UPDATE SKIP LOCKED), advisory locks.
BOTH_ENGINES_FIXTURES = {"database_tasks"}
ROOT = Path(__file__).resolve().parent
# Every collected test, before `-m` and the engine's own deselection: tests/test_ci_split.py checks
# .ci/run's two selections against it.
COLLECTED = pytest.StashKey[list[pytest.Item]]()


def ci_dir(item: pytest.Item) -> str:
    """The directory a test falls under: its app (src/govsite/<app>/...) or tests/<dir>."""
    parts = item.path.resolve().relative_to(ROOT).parts
    if parts[:2] == ("src", "govsite"):
        return parts[2]
    return "/".join(parts[:2]) if len(parts) > 2 else parts[0]


def ci_passes(item: pytest.Item) -> set[str]:
    """The CI passes that run the test: "sqlite", "postgresql" or both (see SQLITE_PASS_DIRS)."""
    if item.get_closest_marker("browser") or item.get_closest_marker("platform_build"):
        return {"sqlite"}
    if item.get_closest_marker("postgresql"):
        return {"postgresql"}
    if item.get_closest_marker("sqlite"):
        return {"sqlite"}
    on_test_database = not (item.get_closest_marker("no_database") or item.get_closest_marker("platform"))
    if on_test_database and item.get_closest_marker("both_engines"):
        return {"sqlite", "postgresql"}
    return {"sqlite"} if ci_dir(item) in SQLITE_PASS_DIRS else {"postgresql"}


def deselect(config: pytest.Config, items: list[pytest.Item], marker: str) -> None:
    """Leave out the tests marked `marker` (they need the other engine)."""
    deselected = [item for item in items if item.get_closest_marker(marker)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker(marker)]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if PLATFORM_FIXTURES & fixtures:
            item.add_marker(pytest.mark.platform)
        if "platform_template" in fixtures:
            item.add_marker(pytest.mark.platform_build)
        if not (DATABASE_FIXTURES & fixtures or item.get_closest_marker("django_db")):
            item.add_marker(pytest.mark.no_database)
        if BOTH_ENGINES_FIXTURES & fixtures:
            item.add_marker(pytest.mark.both_engines)
        for name in ci_passes(item):
            item.add_marker(f"ci_{name}")
    config.stash[COLLECTED] = list(items)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        # Real worker processes share the test database: the SQLite pass's is in memory, out of reach.
        deselect(config, items, "postgresql")
    else:
        # What SQLite itself does (its query plans) is no test of PostgreSQL.
        deselect(config, items, "sqlite")
        # Tests that start real processes (marker `postgresql`, fixture `committed_db`) need the session's
        # demo, which a transactional test empties when it ends: they run after the other database tests
        # (the rows they leave reach none of those) and before the transactional ones. A stable sort.
        items.sort(key=run_order)


@pytest.fixture
def collected_tests(request: pytest.FixtureRequest) -> list[pytest.Item]:
    """Every test the session collected, whatever `-m` and the engine then left out."""
    return request.config.stash[COLLECTED]


def pytest_unconfigure(config: pytest.Config) -> None:
    from django.conf import settings

    if settings.configured and hasattr(settings, "GOVSITE_TEST_DIR"):
        shutil.rmtree(settings.GOVSITE_TEST_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Drive Debian's Chromium; a missing browser is a failure, never a skip."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `sudo make system-deps` first (`make doctor` checks)."
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def client() -> object:
    """pytest-django's test client, whose force_login() also proves the admin's second factor (the
    platform enforces it, docs/accounts.md): govsite.testing.verified_client."""
    return verified_client()


@pytest.fixture
def admin_user(db: None) -> object:
    """pytest-django's superuser is called `admin`, a name new accounts may not take (等保 E5): the
    demo's platform administrator instead."""
    from govsite.testing import demo_user

    return demo_user("platform-admin")


@pytest.fixture
def admin_client(admin_user: object) -> object:
    """Logged in as admin_user with both factors proved (pytest-django's own skips the second)."""
    client = verified_client()
    client.force_login(admin_user)  # type: ignore[arg-type]
    return client


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: object) -> None:
    """Every database test starts from the demo platform, built once per session."""
    from govsite.demo.builder import build_demo

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        build_demo(port=80)


@dataclass(frozen=True)
class PlatformTemplate:
    """A built platform's var dir (migrate, collectstatic, demo, publish), never run or served itself."""

    var_dir: Path
    port: int  # the demo's sites answer on it (`demo --port`): demo_server serves there

    def copy_to(self, var_dir: Path) -> None:
        """Everything the built platform keeps into var_dir (govsite.testing.copy_var_dir)."""
        copy_var_dir(self.var_dir, var_dir)


# The session's platform build, started in the background as soon as collection shows a test that
# needs it (pytest_collection_finish): it runs in child processes while the session's other tests go on.
_platform_build: tuple[PlatformTemplate, BackgroundPlatformBuild] | None = None


def pytest_collection_finish(session: pytest.Session) -> None:
    global _platform_build
    needed = any(item.get_closest_marker("platform_build") for item in session.items)
    if needed and _platform_build is None and not session.config.option.collectonly:
        factory: pytest.TempPathFactory = session.config._tmp_path_factory  # type: ignore[attr-defined]
        var_dir = factory.mktemp("platform-template")
        port = free_port()
        build = BackgroundPlatformBuild(cli_env(var_dir), "--port", str(port))
        _platform_build = (PlatformTemplate(var_dir, port), build)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _platform_build is not None:
        _platform_build[1].stop()


@pytest.fixture(scope="session")
def platform_template() -> PlatformTemplate:
    """One platform build per session (migrate, collectstatic, demo, publish: 80–150 s of child
    processes, started at collection): published_demo and demo_server each get a copy of its var dir,
    so each still has a platform of its own (what one changes, the other never sees)."""
    if _platform_build is None:
        pytest.fail("the platform build did not start at collection (pytest_collection_finish)")
    template, build = _platform_build
    build.wait()
    return template


@pytest.fixture(scope="session")
def published_demo(
    tmp_path_factory: pytest.TempPathFactory, platform_template: PlatformTemplate
) -> PublishedDemo:
    """The demo platform published to files (migrate, collectstatic, demo, publish), once per session."""
    var_dir = tmp_path_factory.mktemp("serving-var")
    platform_template.copy_to(var_dir)
    demo = PublishedDemo(var_dir, cli_env(var_dir))
    assert {"kjt.localhost", "jyt.localhost"} <= set(demo.hosts())
    return demo


@pytest.fixture(scope="session")
def demo_server(
    tmp_path_factory: pytest.TempPathFactory, platform_template: PlatformTemplate
) -> Iterator[str]:
    """The demo platform as `make run` serves it: a var/ dir of its own (migrate, collectstatic, demo,
    publish: a copy of the session's platform_template), then `govsite serve` (published files from
    disk, dynamic addresses from Django) and `govsite scheduler`.

    Browser tests run against these processes, so they see exactly what a reader sees. Both are stopped
    with their process groups at the end of the session, also when a test failed.
    """
    var_dir = tmp_path_factory.mktemp("demo-var")
    platform_template.copy_to(var_dir)
    port = platform_template.port
    with socket.socket() as sock:  # chosen free before the build; a server started since must not answer
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            pytest.fail(f"port {port} of the demo platform was taken while it was built; run again.")
    env = cli_env(var_dir, PORT=str(port))
    serve = [*CLI, "serve", "--host", "127.0.0.1", "--port", str(port)]
    with (
        running([*CLI, "db_worker", "-v0"], env, 0, var_dir / "worker.log"),
        running([*CLI, "scheduler"], env, 0, var_dir / "scheduler.log"),
        running(serve, env, port, var_dir / "server.log"),
    ):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def committed_db(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    """The session's database without a wrapping transaction and without a flush afterwards, for tests
    whose real processes (workers, application nodes) must see committed rows. A transactional test
    would empty the database when it ends, and the demo cannot be rebuilt on an emptied one (the
    migrations' rows are gone). These tests run last (pytest_collection_modifyitems), so the rows they
    leave behind reach no other test; the task queue and the workers' heartbeats are emptied first so
    none sees another's tasks or workers."""
    from django_tasks_db.models import DBTaskResult

    from govsite.core.models import WorkerHeartbeat

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        DBTaskResult.objects.all().delete()
        WorkerHeartbeat.objects.all().delete()  # a worker killed by an earlier test left its row
        yield


@pytest.fixture
def small_site(committed_db: None) -> object:
    """The demo site with the fewest pages, for tests of real worker processes on the PostgreSQL test
    database."""
    from wagtail.models import Page, Site

    return min(
        Site.objects.select_related("root_page"),
        key=lambda site: Page.objects.descendant_of(site.root_page, inclusive=True).count(),
    )


REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A redis-server of the test's own on a free port (no persistence, stopped afterwards), for tests
    of several application nodes."""
    if not Path(REDIS_SERVER).exists():
        pytest.fail("redis-server is not installed: run `make system-deps` (scripts/system-deps.sh) as root.")
    port = free_port()
    cmd = [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    with running([*cmd, "--dir", str(tmp_path)], {}, port, tmp_path / "redis.log", timeout=15):
        yield f"redis://127.0.0.1:{port}/0"


@pytest.fixture(scope="session")
def database_before_the_moves(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A var dir whose SQLite database is migrated up to govsite_workflow 0001: before the checks and
    the lifecycle models moved out of workflow. Built once per session in a child process; each
    migration test (checks, content) continues on a copy of its own (`copy_var_dir`)."""
    var_dir = tmp_path_factory.mktemp("before-the-moves")
    run_cli(cli_env(var_dir), "migrate", "govsite_workflow", "0001", "--noinput", "-v0")
    return var_dir


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


@pytest.fixture(autouse=True)
def fresh_platform_clock() -> Iterator[None]:
    """Each test starts with a clock that has queued nothing yet (its times are per process)."""
    from govsite.core.background import _CLOCK

    for entry in _CLOCK.values():
        entry.last_queued = None
    yield


# --- Department sites and their handlers, shared by the apps of the public side -----------------------
@pytest.fixture
def fresh_rate_limits() -> Iterator[None]:
    """Empty budgets, lockouts and captcha nonces (the shared cache) before and after the test; the apps
    whose public forms are rate-limited use it for every test (their conftest), the limits have their
    own tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kjt_site(db: None):
    from wagtail.models import Site

    return Site.objects.get(hostname="kjt.localhost")


@pytest.fixture
def jyt_site(db: None):
    from wagtail.models import Site

    return Site.objects.get(hostname="jyt.localhost")


@pytest.fixture
def kjt_handler(django_user_model, kjt_site):
    """A 科学技术厅 网站管理员: handles the site's 依申请公开, 留言, 征集调查 and 找错."""
    from govsite.testing import site_handler

    return site_handler("kjt-handler", "科学技术厅")


@pytest.fixture
def jyt_handler(django_user_model, jyt_site):
    from govsite.testing import site_handler

    return site_handler("jyt-handler", "教育厅")
