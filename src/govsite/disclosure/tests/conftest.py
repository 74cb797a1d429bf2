import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits(fresh_rate_limits: None) -> None:
    """Every test here starts with empty budgets (conftest.py at the root)."""
