"""/healthz and /readyz (core/health.py): what a load balancer asks every few seconds."""

import logging
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.both_engines]


def test_liveness_answers_any_host_without_touching_the_database(
    client: Client, django_assert_num_queries: Any
) -> None:
    # a balancer probes by the node's address, which is no ALLOWED_HOSTS name
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.5")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies


def test_readiness_checks_database_cache_media_and_published_files(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GOVSITE_PUBLIC_DIR = tmp_path / "public"
    settings.MEDIA_ROOT.mkdir()
    settings.GOVSITE_PUBLIC_DIR.mkdir()
    response = client.get("/readyz", HTTP_HOST="10.0.0.5")
    assert (response.status_code, response.json()) == (200, {"status": "ready"})
    assert response["Cache-Control"] == "no-store"
    assert list(settings.MEDIA_ROOT.iterdir()) == []  # the probe file is gone again


def test_readiness_fails_with_reasons_and_is_not_logged_as_an_error(
    client: Client, settings: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings.MEDIA_ROOT = tmp_path / "unmounted-nfs"  # the shared mount went away
    settings.GOVSITE_PUBLIC_DIR = tmp_path / "no-public"
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/readyz", HTTP_HOST="10.0.0.5")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready",
        "failed": {"media": "FileNotFoundError", "published": "FileNotFoundError"},
    }
    assert caplog.records == []


def test_health_paths_pass_the_admin_host_restriction_and_https_redirect(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.GOVSITE_ADMIN_HOSTS = ["admin.internal"]
    settings.GOVSITE_ADMIN_NETWORKS = ["10.1.0.0/16"]
    settings.SECURE_SSL_REDIRECT = True
    settings.MEDIA_ROOT = tmp_path
    settings.GOVSITE_PUBLIC_DIR = tmp_path
    assert client.get("/healthz", HTTP_HOST="kjt.localhost").status_code == 200
    assert client.get("/readyz", HTTP_HOST="kjt.localhost").status_code == 200
    assert client.post("/healthz", HTTP_HOST="kjt.localhost").status_code == 405
    # every other address still gets the redirect
    assert client.get("/search/", HTTP_HOST="kjt.localhost").status_code == 301
