import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    """Tests send many searches from one address; the limit has its own test."""
    settings.GOVSITE_SEARCH_RATE_LIMIT = 0
    cache.clear()
    yield
    cache.clear()
