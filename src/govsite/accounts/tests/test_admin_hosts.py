"""内外网分离: the admin answers only on the internal hosts and networks; elsewhere it does not exist."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


@override_settings(GOVSITE_ADMIN_HOSTS=["admin.localhost"])
def test_the_public_host_has_no_admin(client: Client, admin_user: object) -> None:
    client.force_login(admin_user)  # type: ignore[arg-type]
    for address in ("/admin/", "/admin/login/", "/admin/pages/"):
        assert client.get(address, HTTP_HOST="kjt.localhost").status_code == 404, address
    assert client.get("/admin/", HTTP_HOST="admin.localhost").status_code == 200
    assert client.get("/", HTTP_HOST="kjt.localhost").status_code == 200  # the public site is untouched


@override_settings(GOVSITE_ADMIN_NETWORKS=["10.0.0.0/8", "192.168.1.0/24"])
def test_the_admin_answers_only_to_internal_networks() -> None:
    assert Client(REMOTE_ADDR="203.0.113.9").get("/admin/login/").status_code == 404
    assert Client(REMOTE_ADDR="10.2.3.4").get("/admin/login/").status_code == 200
    assert Client(REMOTE_ADDR="192.168.1.20").get("/admin/login/").status_code == 200
