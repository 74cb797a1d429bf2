import pytest
from django.core.cache import cache
from wagtail.models import Site


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with empty budgets (and captcha nonces); the limits have their own tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kjt_site(db):
    return Site.objects.get(hostname="kjt.localhost")


@pytest.fixture
def jyt_site(db):
    return Site.objects.get(hostname="jyt.localhost")
