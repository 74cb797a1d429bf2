"""Publishing a site writes its 404 page without Django logging a missing address each time."""

import logging

import pytest
from django.test import Client
from wagtail.models import Site

from govsite.publishing.publisher import NOT_FOUND_PATH, Publisher

pytestmark = pytest.mark.django_db


def test_the_404_page_is_published_without_a_logged_miss(caplog: pytest.LogCaptureFixture) -> None:
    site = Site.objects.get(hostname="kjt.localhost")
    with caplog.at_level(logging.WARNING, logger="django.request"):
        report = Publisher(site).publish([NOT_FOUND_PATH, "/elder" + NOT_FOUND_PATH])
    assert not report.failed
    assert not [r for r in caplog.records if r.name == "django.request"], caplog.text
    page = (Publisher(site).root / "404.html").read_text()
    assert "页面" in page


def test_readers_asking_for_404_html_get_a_404() -> None:
    assert Client().get(NOT_FOUND_PATH, HTTP_HOST="kjt.localhost").status_code == 404
