from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from .support import SEED_COLUMN, SEED_TITLE, Traffic, find_link


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def article_path(demo_server: str) -> str:
    """The seed article's address, found the way a reader finds it: from its column's list."""
    href = find_link(demo_server, SEED_COLUMN, SEED_TITLE)
    assert href.startswith(SEED_COLUMN + "202103/t20210331_") and href.endswith(".html"), href
    return href


@pytest.fixture
def traffic(context: BrowserContext, demo_server: str) -> Traffic:
    """Records the requests and console errors of the test's browser context (the `page` fixture's)."""
    return Traffic(demo_server).attach(context)


@pytest.fixture
def results_dir(pytestconfig: pytest.Config) -> Path:
    """test-results/ (pytest-playwright's --output dir, git-ignored) for screenshots and measurements.

    Made for every test: another pytest session in the same tree clears the directory when it starts.
    """
    path = Path(pytestconfig.getoption("--output")).absolute()
    path.mkdir(parents=True, exist_ok=True)
    return path
