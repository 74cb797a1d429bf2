import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from wagtail.models import Site


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with empty budgets; the limits have their own tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kjt_site(db):
    return Site.objects.get(hostname="kjt.localhost")


@pytest.fixture
def jyt_site(db):
    return Site.objects.get(hostname="jyt.localhost")


@pytest.fixture
def kjt_handler(django_user_model, kjt_site):
    user = django_user_model.objects.create_user("kjt-handler", password="x")
    user.groups.add(Group.objects.get(name="科学技术厅-网站管理员"))
    return user


@pytest.fixture
def jyt_handler(django_user_model, jyt_site):
    user = django_user_model.objects.create_user("jyt-handler", password="x")
    user.groups.add(Group.objects.get(name="教育厅-网站管理员"))
    return user
