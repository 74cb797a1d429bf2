"""The hostile-input suite's fixtures, and its report at the end of the pytest run."""

from collections.abc import Iterator

import pytest

from govsite.participation.tests.conftest import announced_interview, open_solicitation, open_survey

from .harness import TALLY

__all__ = ["announced_interview", "open_solicitation", "open_survey"]  # the participation tests' fixtures


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One visible line with what the suite tried (issue 17: it reports how many inputs it tried)."""
    if TALLY.requests:
        terminalreporter.write_sep("-", TALLY.line())


@pytest.fixture(autouse=True)
def unlimited(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No rate limits or lockouts while the corpus goes through (their own tests cover them), and an
    empty shared cache (captcha nonces, budgets) before and after."""
    from django.core.cache import cache

    from govsite.core import ratelimit

    monkeypatch.setattr(ratelimit, "allow", lambda *args, **kwargs: True)
    monkeypatch.setattr(ratelimit, "allow_key", lambda *args, **kwargs: True)
    monkeypatch.setattr(ratelimit, "exhausted", lambda *args, **kwargs: False)
    cache.clear()
    yield
    cache.clear()
