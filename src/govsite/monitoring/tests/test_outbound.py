"""Outbound links: each verdict from a real local server (reached through fake name resolution), the
polite rate, and the stored results with their first-seen dates."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Site

from govsite.monitoring import outbound
from govsite.monitoring.fetch import FetchResult
from govsite.monitoring.models import ExternalLink, LinkResult
from govsite.monitoring.outbound import (
    check_due_links,
    check_link,
    check_politely,
    link_states,
    record_links,
    registrable_domain,
    same_owner,
    verdict,
)

from .conftest import Answer, TestServer

PUBLIC = "www.example.gov.cn"
SAME_OWNER = "zwfw.example.gov.cn"
ELSEWHERE = "parked-domains.example.com"
INTRANET = "oa.example.gov.cn"


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("kjt.nmg.gov.cn", "nmg.gov.cn"),
        ("www.gov.cn", "www.gov.cn"),  # gov.cn is a public suffix
        ("a.b.example.com", "example.com"),
        ("www.example.com.cn", "example.com.cn"),
        ("93.184.216.34", "93.184.216.34"),
    ],
)
def test_registrable_domains(host: str, domain: str):
    assert registrable_domain(host) == domain


def test_same_owner():
    assert same_owner("gov.cn", "www.gov.cn")
    assert same_owner("kjt.nmg.gov.cn", "www.nmg.gov.cn")
    assert same_owner("example.com", "login.example.com")
    assert not same_owner("www.nmg.gov.cn", "www.nm.gov.cn")
    assert not same_owner("www.example.com", "example.net")


@pytest.fixture
def names(fake_dns, loopback_allowed, test_server: TestServer):
    """The test's public names all lead to the local server; INTRANET to a private address."""
    for name in (PUBLIC, SAME_OWNER, ELSEWHERE):
        fake_dns[name] = ["127.0.0.1"]
    fake_dns[INTRANET] = ["10.20.30.40"]
    return fake_dns


def url(server: TestServer, host: str, path: str) -> str:
    return server.url(path, host=host)


def test_verdicts_from_a_real_server(names, test_server: TestServer):
    routes = test_server.routes
    routes["/ok"] = Answer(200)
    routes["/gone"] = Answer(404)
    routes["/broken"] = Answer(503)
    routes["/moved"] = Answer(301, headers={"Location": f"http://{SAME_OWNER}:{{port}}/ok"})
    routes["/parked"] = Answer(302, headers={"Location": f"http://{ELSEWHERE}:{{port}}/ok"})
    check = {path: verdict(check_link(url(test_server, PUBLIC, path))) for path in routes}
    assert check["/ok"].result == LinkResult.OK
    assert (check["/gone"].result, check["/gone"].status) == (LinkResult.HTTP_ERROR, 404)
    assert (check["/broken"].result, check["/broken"].status) == (LinkResult.HTTP_ERROR, 503)
    assert check["/moved"].result == LinkResult.OK  # a move within the same registrable domain
    assert check["/moved"].final_url == url(test_server, SAME_OWNER, "/ok")
    assert check["/parked"].result == LinkResult.DOMAIN_CHANGED
    assert check["/parked"].final_url == url(test_server, ELSEWHERE, "/ok")
    assert check["/parked"].detail == ELSEWHERE


def test_unknown_names_intranet_addresses_and_timeouts(names, test_server: TestServer, monkeypatch):
    assert (
        verdict(check_link(f"http://no-such-name.example.gov.cn:{test_server.port}/")).result
        == LinkResult.DNS
    )
    before = len(test_server.requests)
    assert verdict(check_link(f"http://{INTRANET}/")).result == LinkResult.NOT_PUBLIC  # never contacted
    assert len(test_server.requests) == before
    monkeypatch.setattr(outbound, "CHECK_TIMEOUT", 0.5)
    test_server.routes["/slow"] = Answer(200, delay=1.5)
    assert verdict(check_link(url(test_server, PUBLIC, "/slow"))).result == LinkResult.TIMEOUT


def test_no_host_is_asked_more_often_than_the_polite_interval(names, test_server: TestServer):
    for i in range(4):
        test_server.routes[f"/a{i}"] = Answer(200)
        test_server.routes[f"/b{i}"] = Answer(200)
    urls = [url(test_server, PUBLIC, f"/a{i}") for i in range(4)]
    urls += [url(test_server, ELSEWHERE, f"/b{i}") for i in range(4)]
    verdicts = check_politely(urls, host_seconds=0.25, max_seconds=10)
    assert set(verdicts) == set(urls)
    by_host: dict[str, list[float]] = {}
    for at, host, _path in test_server.requests:
        by_host.setdefault(host.split(":")[0], []).append(at)
    assert set(by_host) == {PUBLIC, ELSEWHERE}
    for times in by_host.values():
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        assert len(times) == 4 and min(gaps) >= 0.25
    # the two hosts were asked side by side, not one after the other
    assert max(by_host[PUBLIC][0], by_host[ELSEWHERE][0]) < min(by_host[PUBLIC][1], by_host[ELSEWHERE][1])


def test_a_run_is_bounded_in_time():
    calls: list[str] = []

    def checker(link: str) -> FetchResult:
        calls.append(link)
        return FetchResult(link, link, status=200)

    urls = [f"http://{PUBLIC}/{i}" for i in range(10)]
    verdicts = check_politely(urls, host_seconds=0.3, max_seconds=0.5, checker=checker)
    assert 1 <= len(verdicts) == len(calls) <= 2  # the others wait for the next run


@pytest.mark.django_db
def test_links_are_recorded_with_first_seen_and_forgotten_when_gone(kjt_site: Site):
    ExternalLink.objects.all().delete()
    assert (
        record_links(kjt_site, {"http://a.example.com/": ["/p1.html"], "http://b.example.com/": ["/p2.html"]})
        == 2
    )
    first = ExternalLink.objects.get(url="http://a.example.com/").first_seen
    assert record_links(kjt_site, {"http://a.example.com/": ["/p1.html", "/p3.html"]}) == 0
    link = ExternalLink.objects.get(site=kjt_site)
    assert (link.url, link.first_seen, link.pages, link.page_count) == (
        "http://a.example.com/",
        first,
        ["/p1.html", "/p3.html"],
        2,
    )


@pytest.mark.django_db
@override_settings(
    GOVSITE_LINKCHECK_HOST_SECONDS=0, GOVSITE_LINKCHECK_RECHECK_DAYS=7, GOVSITE_LINKCHECK_PER_RUN=50
)
def test_the_background_run_checks_each_url_once_and_stores_the_result(names, test_server: TestServer):
    kjt, jyt = Site.objects.get(hostname="kjt.localhost"), Site.objects.get(hostname="jyt.localhost")
    ExternalLink.objects.all().delete()
    test_server.routes["/ok"] = Answer(200)
    test_server.routes["/gone"] = Answer(404)
    shared, gone = url(test_server, PUBLIC, "/ok"), url(test_server, PUBLIC, "/gone")
    record_links(kjt, {shared: ["/a.html"], gone: ["/b.html"]})
    record_links(jyt, {shared: ["/c.html"]})
    assert check_due_links() == 2
    assert sorted(path for _at, _host, path in test_server.requests) == ["/gone", "/ok"]  # shared: once
    assert set(ExternalLink.objects.filter(url=shared).values_list("result", flat=True)) == {LinkResult.OK}
    broken = ExternalLink.objects.get(url=gone)
    assert (broken.result, broken.status, broken.failures) == (LinkResult.HTTP_ERROR, 404, 1)
    assert check_due_links() == 0  # nothing is due again before the recheck period
    ExternalLink.objects.update(last_checked=timezone.now() - timedelta(days=8))
    assert check_due_links() == 2
    assert ExternalLink.objects.get(url=gone).failures == 2


@pytest.mark.django_db
def test_link_states_register_new_urls_for_other_checks(kjt_site: Site, django_capture_on_commit_callbacks):
    ExternalLink.objects.all().delete()
    with django_capture_on_commit_callbacks() as callbacks:
        states = link_states(
            kjt_site, ["https://zwfw.example.gov.cn/a"], source="services", page_url="/bs/1.html"
        )
    assert callbacks  # the background check is queued
    assert states["https://zwfw.example.gov.cn/a"].checked is False
    link = ExternalLink.objects.get()
    assert (link.source, link.pages) == ("services", ["/bs/1.html"])
    record_links(kjt_site, {})  # a crawl that does not see it keeps another check's link
    assert ExternalLink.objects.filter(source="services").exists()
    ExternalLink.objects.update(last_checked=timezone.now(), result=LinkResult.HTTP_ERROR, status=404)
    state = link_states(kjt_site, ["https://zwfw.example.gov.cn/a"], source="services")[
        "https://zwfw.example.gov.cn/a"
    ]
    assert (state.checked, state.ok, state.status, state.label) == (True, False, 404, "HTTP 错误")
