"""网站监测 in the admin: the platform administrator reads the records and edits the probe addresses;
a department's site administrator sees none of it (the probe may reach intranet addresses)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from govsite.monitoring.models import ExternalLink, LinkResult, Probe, ProbeTarget
from govsite.testing import demo_user

pytestmark = pytest.mark.django_db

LISTS = [
    "monitoring_probes:index",
    "monitoring_links:index",
    "monitoring_crawls:index",
    "monitoring_targets:index",
]


@pytest.fixture
def records(kjt_site: Site) -> tuple[Probe, ExternalLink]:
    now = timezone.now()
    probe = Probe.objects.create(
        site=kjt_site, at=now, url="http://kjt.localhost/", ok=False, error="timeout", elapsed_ms=15000
    )
    link = ExternalLink.objects.create(
        site=kjt_site, url="http://gone.example.com/x", host="gone.example.com", first_seen=now,
        last_seen=now, last_checked=now, result=LinkResult.HTTP_ERROR, status=404,
    )  # fmt: skip
    return probe, link


def test_the_platform_admin_reads_the_records(client, records):
    client.force_login(demo_user("platform-admin"))
    pages = {name: client.get(reverse(name)) for name in LISTS}
    assert all(response.status_code == 200 for response in pages.values())
    assert "超时" in pages["monitoring_probes:index"].content.decode()
    assert "http://gone.example.com/x" in pages["monitoring_links:index"].content.decode()
    # records are never edited by hand
    probe = records[0]
    assert client.get(reverse("monitoring_probes:edit", args=[probe.pk])).status_code == 302
    response = client.post(reverse("monitoring_probes:delete", args=[probe.pk]))
    assert response.status_code == 302 and Probe.objects.filter(pk=probe.pk).exists()


def test_the_platform_admin_sets_a_probe_address(client, kjt_site: Site):
    client.force_login(demo_user("platform-admin"))
    response = client.post(
        reverse("monitoring_targets:add"),
        {"site": kjt_site.pk, "url": "https://kjt.nmg.gov.cn/", "enabled": "on"},
    )
    assert response.status_code == 302
    assert ProbeTarget.objects.get(site=kjt_site).url == "https://kjt.nmg.gov.cn/"
    jyt = Site.objects.get(hostname="jyt.localhost")
    refused = client.post(
        reverse("monitoring_targets:add"), {"site": jyt.pk, "url": "ftp://jyt", "enabled": "on"}
    )
    assert refused.status_code == 200 and not ProbeTarget.objects.filter(site=jyt).exists()
    assert "有效" in refused.content.decode()  # Django's own 输入一个有效的 URL


def test_a_department_site_admin_sees_nothing_of_it(client, records, kjt_site: Site):
    client.force_login(demo_user("kjt-siteadmin"))
    for name in LISTS:
        assert client.get(reverse(name)).status_code in (302, 403), name
    assert client.get(reverse("monitoring_targets:add")).status_code in (302, 403)
    assert "网站监测" not in client.get(reverse("wagtailadmin_home")).content.decode()
