"""The availability probe against a real local server, and the V2 rule on stored probes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Site

from govsite.inspection.indicators.availability import check_availability
from govsite.inspection.rules import RULES, Kind, Status
from govsite.monitoring import fetch
from govsite.monitoring.models import Probe, ProbeTarget
from govsite.monitoring.probes import due_sites, probe, probe_sites, probe_url

from .conftest import Answer, TestServer

TIMEOUT = 2.0  # the probe's 15 s, shortened (and still ample for a busy test machine)


def test_a_home_page_that_answers_2xx_in_time_is_open(test_server: TestServer):
    test_server.routes["/"] = Answer(200, b"<html>home</html>")
    result = probe(test_server.url("/"), timeout=TIMEOUT)
    assert result.ok and result.status == 200 and result.error == ""
    assert 0 <= result.elapsed_ms < TIMEOUT * 1000


@pytest.mark.parametrize(
    ("answer", "status", "error"),
    [
        (Answer(500, b"error"), 500, ""),
        (Answer(404, b"missing"), 404, ""),
        (Answer(200, delay=TIMEOUT + 1), None, fetch.TIMEOUT),  # no status line in time
        (Answer(200, b"x" * 80, drip=0.05), 200, fetch.TIMEOUT),  # the body never finishes in time
    ],
)
def test_no_2xx_within_the_timeout_is_a_failure(test_server: TestServer, answer, status, error):
    test_server.routes["/"] = answer
    result = probe(test_server.url("/"), timeout=TIMEOUT)
    assert not result.ok
    assert (result.status, result.error) == (status, error)
    assert result.elapsed_ms < (TIMEOUT + 0.9) * 1000  # bounded by the timeout, whatever the server does


def test_a_refused_connection_is_a_failure(closed_port: int):
    result = probe(f"http://127.0.0.1:{closed_port}/", timeout=TIMEOUT)
    assert not result.ok and result.error == fetch.CONNECT


def test_redirects_are_followed_within_the_site_only(test_server: TestServer):
    test_server.routes["/"] = Answer(302, headers={"Location": "/index.html"})
    test_server.routes["/index.html"] = Answer(200)
    result = probe(test_server.url("/"), timeout=TIMEOUT)
    assert result.ok and result.final_url == test_server.url("/index.html")

    # to another host (here: the same server under another name) the probe does not follow
    test_server.routes["/away"] = Answer(302, headers={"Location": "http://localhost:{port}/"})
    result = probe(test_server.url("/away"), timeout=TIMEOUT)
    assert not result.ok and result.error == fetch.OFF_SITE
    assert [path for _at, _host, path in test_server.requests] == ["/", "/index.html", "/away"]


def test_intranet_addresses_configured_by_the_platform_are_probed(test_server: TestServer):
    """Unlike editors' links, the probe reaches private addresses: sites may live on an intranet."""
    result = probe(test_server.url("/"), timeout=TIMEOUT)
    assert result.status == 404 and test_server.requests  # contacted, not refused as non-public


@pytest.mark.django_db
def test_each_probe_is_stored_per_site_with_its_configured_address(test_server: TestServer, kjt_site: Site):
    test_server.routes["/ok/"] = Answer(200)
    test_server.routes["/slow/"] = Answer(200, delay=TIMEOUT + 1)
    jyt = Site.objects.get(hostname="jyt.localhost")
    ProbeTarget.objects.create(site=kjt_site, url=test_server.url("/ok/"))
    ProbeTarget.objects.create(site=jyt, url=test_server.url("/slow/"))
    stored = probe_sites([kjt_site, jyt], timeout=TIMEOUT)
    by_site = {p.site_id: p for p in stored}
    assert by_site[kjt_site.pk].ok and by_site[kjt_site.pk].status == 200
    assert not by_site[jyt.pk].ok and by_site[jyt.pk].error == fetch.TIMEOUT
    assert by_site[jyt.pk].error_label == "超时"
    assert Probe.objects.filter(site__in=[kjt_site, jyt]).count() == 2


@pytest.mark.django_db
def test_the_probe_address_defaults_to_the_site_and_can_be_switched_off(kjt_site: Site):
    assert probe_url(kjt_site) == kjt_site.root_url.rstrip("/") + "/"
    ProbeTarget.objects.create(site=kjt_site, url="", enabled=False)
    assert probe_url(kjt_site) is None


@pytest.mark.django_db
@override_settings(GOVSITE_PROBE_INTERVAL_MINUTES=60)
def test_a_site_is_due_once_per_interval(kjt_site: Site):
    now = timezone.now()
    Probe.objects.all().delete()
    assert kjt_site in due_sites(now)
    Probe.objects.create(site=kjt_site, at=now - timedelta(minutes=50), url="/", ok=True, elapsed_ms=5)
    assert kjt_site not in due_sites(now)  # the tick 15 minutes before the hour is not yet due
    assert kjt_site in due_sites(now + timedelta(minutes=10))  # the hour's tick, even if a little early


# --- the V2 rule ----------------------------------------------------------------------------------
def seed_probes(site: Site, total: int, failures: int, days: float = 7) -> None:
    """`total` probes spread over the last `days` days, the first `failures` of them failed."""
    if not total:
        return
    now = timezone.now()
    step = timedelta(days=days) / total
    Probe.objects.bulk_create(
        Probe(
            site=site, at=now - step * (i + 0.5), url=site.root_url, ok=i >= failures,
            status=None if i < failures else 200, error=fetch.TIMEOUT if i < failures else "", elapsed_ms=10,
        )
        for i in range(total)
    )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("total", "failures", "status"),
    [
        (168, 0, Status.PASS),  # a clean week at 24 probes a day
        (168, 1, Status.PASS),  # 0.6 %
        (168, 2, Status.WARN),  # 1.2 %: the alert line
        (168, 8, Status.WARN),  # 4.8 %: still under the veto line
        (168, 9, Status.FAIL),  # 5.4 %: the veto
        (19, 0, Status.UNKNOWN),  # too few probes to tell: never a pass
        (0, 0, Status.UNKNOWN),
    ],
)
def test_the_failure_share_over_seven_days(kjt_site: Site, total: int, failures: int, status: Status):
    Probe.objects.all().delete()
    seed_probes(kjt_site, total, failures)
    outcome = check_availability(kjt_site)
    assert outcome.status == status
    assert bool(outcome.findings) == (status in (Status.WARN, Status.FAIL))
    if outcome.findings:
        assert f"失败 {failures} 次 / 共 {total} 次" in outcome.findings[0].evidence


@pytest.mark.django_db
def test_probes_older_than_a_week_do_not_count(kjt_site: Site):
    Probe.objects.all().delete()
    seed_probes(kjt_site, 168, 0)
    old = timezone.now() - timedelta(days=8)
    Probe.objects.bulk_create(
        Probe(site=kjt_site, at=old, url="/", ok=False, elapsed_ms=15000, error=fetch.TIMEOUT)
        for _ in range(50)
    )
    assert check_availability(kjt_site).status == Status.PASS


def test_v2_is_a_registered_veto_rule():
    assert RULES["V2"].kind == Kind.VETO and RULES["V2"].check is check_availability


@pytest.mark.django_db
@override_settings(GOVSITE_PROBES=True)
def test_the_clock_task_probes_the_sites_that_are_due(test_server: TestServer, kjt_site: Site):
    from govsite.monitoring.tasks import probe_sites_task

    test_server.routes["/"] = Answer(200)
    Probe.objects.all().delete()
    for site in Site.objects.exclude(pk=kjt_site.pk):
        ProbeTarget.objects.create(site=site, enabled=False)
    ProbeTarget.objects.create(site=kjt_site, url=test_server.url("/"))
    probe_sites_task.enqueue()
    probe_sites_task.enqueue()  # queued twice (a restarted scheduler): probed once
    assert list(Probe.objects.values_list("site_id", "ok")) == [(kjt_site.pk, True)]


@pytest.mark.django_db
def test_probes_are_off_in_installations_that_say_so(kjt_site: Site):
    from govsite.monitoring.tasks import probe_sites_task

    Probe.objects.all().delete()
    probe_sites_task.enqueue()  # the test settings switch the probe off
    assert not Probe.objects.exists()
