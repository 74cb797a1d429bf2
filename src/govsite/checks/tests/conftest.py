"""Fixtures of the checks tests: a department's site administrator, logged in."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Site

from govsite.sites.provisioning import provision_department
from govsite.testing import verified_client


def site_admin_client(username: str, hostname: str, department: str) -> Client:
    """A client logged in as a new 网站管理员 of that site (a new account, apart from any demo one)."""
    user = get_user_model().objects.create_user(username, password="x")
    site = Site.objects.get(hostname=hostname)
    user.groups.add(provision_department(site, department).site_admins)
    client = verified_client()
    client.force_login(user)
    return client


@pytest.fixture
def kjt_admin() -> Client:
    """kjt.localhost's 网站管理员."""
    return site_admin_client("kjt-test-siteadmin", "kjt.localhost", "科学技术厅")


@pytest.fixture
def jyt_admin() -> Client:
    """jyt.localhost's 网站管理员 (another department)."""
    return site_admin_client("jyt-test-siteadmin", "jyt.localhost", "教育厅")
