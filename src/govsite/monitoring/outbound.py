"""Outbound links: recorded when a crawl finds them, checked in the background at a polite rate.

A check is a GET through `fetch` with `vet=True`: public addresses only, every hop vetted (see
`checks.rules.vetted_address`). Redirects are followed to any host (each hop vetted again), so the
final address is known: a link whose domain now ends somewhere under another registrable domain
(public suffix list) may point at an expired or taken-over domain (国办秘函〔2019〕19号 单项否决第 1 项:
linking to harmful content), which a person must look at.

Politeness: at most one request per host every GOVSITE_LINKCHECK_HOST_SECONDS, at most
GOVSITE_LINKCHECK_PER_RUN links per run, a run bounded in time (below the interval between runs).
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from publicsuffixlist import PublicSuffixList
from wagtail.models import Site

from . import fetch
from .models import ExternalLink, LinkResult, url_digest

CHECK_TIMEOUT = 15.0  # seconds for all hops of one link, as for the probe
WORKERS = 4  # hosts checked at the same time
PAGES_KEPT = 10  # pages named per link (the page count says how many there are)
CRAWL = "crawl"  # ExternalLink.source of links found by the crawl of published files

Checker = Callable[[str], fetch.FetchResult]


@cache
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()  # the list shipped with the package: nothing is downloaded


def registrable_domain(host: str) -> str:
    """example.gov.cn for www.example.gov.cn; an IP address or a bare suffix stands for itself."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    return _suffixes().privatesuffix(host) or host


def same_owner(first: str, final: str) -> bool:
    """Whether two hosts belong to the same registrable domain (gov.cn → www.gov.cn is the same)."""
    first, final = first.lower().rstrip("."), final.lower().rstrip(".")
    if first == final or final.endswith("." + first) or first.endswith("." + final):
        return True
    return registrable_domain(first) == registrable_domain(final)


def check_link(url: str) -> fetch.FetchResult:
    """Fetch one outbound link (public addresses only), following redirects anywhere."""
    return fetch.fetch(url, timeout=CHECK_TIMEOUT, vet=True, follow=fetch.any_host)


@dataclass(frozen=True)
class Verdict:
    result: str  # LinkResult
    status: int | None
    final_url: str
    detail: str


ERROR_RESULTS = {
    fetch.TIMEOUT: LinkResult.TIMEOUT,
    fetch.DNS: LinkResult.DNS,
    fetch.CONNECT: LinkResult.CONNECT,
    fetch.TLS: LinkResult.CONNECT,
    fetch.NOT_PUBLIC: LinkResult.NOT_PUBLIC,
}


def verdict(result: fetch.FetchResult) -> Verdict:
    """What a fetch says about a link: its error first, then a changed domain, then its HTTP status."""
    first_host = urlsplit(result.url).hostname or ""
    final_host = urlsplit(result.final_url).hostname or ""
    detail = result.detail or fetch.ERROR_LABELS.get(result.error, "")
    if result.error in ERROR_RESULTS:
        return Verdict(ERROR_RESULTS[result.error], result.status, result.final_url, detail)
    if result.error:
        return Verdict(LinkResult.OTHER, result.status, result.final_url, detail)
    if final_host and not same_owner(first_host, final_host):
        return Verdict(LinkResult.DOMAIN_CHANGED, result.status, result.final_url, final_host)
    if result.status is not None and result.status >= 400:
        return Verdict(LinkResult.HTTP_ERROR, result.status, result.final_url, f"HTTP {result.status}")
    return Verdict(LinkResult.OK, result.status, result.final_url, "")


class PoliteQueue:
    """Hands out URLs so that no host gets a request less than `host_seconds` after its last one
    ended, and one host is never asked twice at the same time; `stop_at` bounds the whole run."""

    def __init__(self, urls: Iterable[str], host_seconds: float, stop_at: float) -> None:
        self.queues: dict[str, deque[str]] = defaultdict(deque)
        for url in urls:
            self.queues[(urlsplit(url).hostname or "").lower()].append(url)
        self.ready = dict.fromkeys(self.queues, 0.0)
        self.busy: set[str] = set()
        self.host_seconds = host_seconds
        self.stop_at = stop_at
        self.condition = threading.Condition()

    def take(self) -> tuple[str, str] | None:
        with self.condition:
            while True:
                waiting = [host for host, queue in self.queues.items() if queue and host not in self.busy]
                if not waiting:
                    if not any(self.queues.values()):
                        return None
                    self.condition.wait(0.5)  # every remaining host is being asked right now
                    continue
                host = min(waiting, key=self.ready.__getitem__)
                now = time.monotonic()
                if max(now, self.ready[host]) >= self.stop_at:
                    return None
                if self.ready[host] <= now:
                    self.busy.add(host)
                    return host, self.queues[host].popleft()
                self.condition.wait(self.ready[host] - now)

    def done(self, host: str) -> None:
        with self.condition:
            self.busy.discard(host)
            self.ready[host] = time.monotonic() + self.host_seconds
            self.condition.notify_all()


def check_politely(
    urls: Iterable[str],
    host_seconds: float,
    max_seconds: float,
    checker: Checker = check_link,
    workers: int = WORKERS,
) -> dict[str, Verdict]:
    """Check each URL once at a polite rate (see PoliteQueue); URLs not reached in time are left out."""
    queue = PoliteQueue(urls, host_seconds, time.monotonic() + max_seconds)
    verdicts: dict[str, Verdict] = {}

    def work() -> None:
        while (taken := queue.take()) is not None:
            host, url = taken
            try:
                verdicts[url] = verdict(checker(url))
            finally:
                queue.done(host)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(work) for _ in range(workers)]:
            future.result()
    return verdicts


# --- the stored links -----------------------------------------------------------------------------
def record_links(
    site: Site, found: Mapping[str, list[str]], *, source: str = CRAWL, replace: bool = True
) -> int:
    """Store the outbound links found on `site` (URL → the pages it is on), keeping first-seen dates.

    With `replace`, the site's links of this `source` that were not found again are forgotten (the
    pages no longer link to them). Returns the number of new links.
    """
    now = timezone.now()
    existing = {link.digest: link for link in ExternalLink.objects.filter(site=site, source=source)}
    new, changed = [], []
    for url, pages in found.items():
        digest = url_digest(url)
        kept = sorted(pages)[:PAGES_KEPT]
        link = existing.pop(digest, None)
        if link is None:
            host = (urlsplit(url).hostname or "")[:255]
            new.append(
                ExternalLink(
                    site=site, url=url, digest=digest, host=host, source=source, pages=kept,
                    page_count=len(pages), first_seen=now, last_seen=now,
                )
            )  # fmt: skip
        else:
            link.pages, link.page_count, link.last_seen = kept, len(pages), now
            changed.append(link)
    with transaction.atomic():
        ExternalLink.objects.bulk_create(new, batch_size=500)
        ExternalLink.objects.bulk_update(changed, ["pages", "page_count", "last_seen"], batch_size=500)
        if replace and existing:
            ExternalLink.objects.filter(pk__in=[link.pk for link in existing.values()]).delete()
    return len(new)


def due_urls(limit: int, now: datetime | None = None) -> list[str]:
    """The URLs to check next: never checked first, then those checked longest ago (beyond the
    recheck period), each URL once however many sites link to it."""
    now = now or timezone.now()
    stale = now - timedelta(days=settings.GOVSITE_LINKCHECK_RECHECK_DAYS)
    rows = (
        ExternalLink.objects.filter(Q(last_checked__isnull=True) | Q(last_checked__lt=stale))
        .order_by("last_checked", "first_seen", "pk")
        .values_list("url", flat=True)
    )
    urls: list[str] = []
    for url in rows.iterator(chunk_size=1000):
        if url not in urls:
            urls.append(url)
            if len(urls) >= limit:
                break
    return urls


def store_verdicts(verdicts: Mapping[str, Verdict], now: datetime | None = None) -> None:
    """Save each verdict on every site's row of that URL."""
    now = now or timezone.now()
    for url, found in verdicts.items():
        rows = list(ExternalLink.objects.filter(digest=url_digest(url)))
        for row in rows:
            row.failures = 0 if found.result == LinkResult.OK else row.failures + 1
            row.last_checked, row.result, row.status = now, found.result, found.status
            row.final_url, row.detail = found.final_url, found.detail[:255]
        ExternalLink.objects.bulk_update(
            rows, ["failures", "last_checked", "result", "status", "final_url", "detail"]
        )


def check_due_links(limit: int | None = None, checker: Checker = check_link) -> int:
    """One background run: check the URLs that are due, politely, and store the verdicts."""
    limit = settings.GOVSITE_LINKCHECK_PER_RUN if limit is None else limit
    urls = due_urls(limit)
    if not urls:
        return 0
    # Leave a tenth of the interval free, so runs never overlap.
    max_seconds = settings.GOVSITE_LINKCHECK_INTERVAL_MINUTES * 60 * 0.9
    verdicts = check_politely(urls, settings.GOVSITE_LINKCHECK_HOST_SECONDS, max_seconds, checker)
    store_verdicts(verdicts)
    return len(verdicts)


@dataclass(frozen=True)
class LinkState:
    """What is known about an outbound URL: `checked` False until the background check reached it."""

    url: str
    checked: bool
    ok: bool
    result: str = ""
    label: str = ""
    status: int | None = None
    final_url: str = ""
    detail: str = ""
    last_checked: datetime | None = None


def link_states(site: Site, urls: Iterable[str], *, source: str, page_url: str = "") -> dict[str, LinkState]:
    """The known state of each outbound URL, registering unknown ones for the background check.

    For other checks (an 办事指南's 在线办理 link): the URLs are kept under `source` beside the crawl's
    own links, so the crawl does not forget them, and checked at the same polite rate.
    """
    wanted = list(dict.fromkeys(urls))
    rows = {
        row.digest: row
        for row in ExternalLink.objects.filter(site=site, digest__in=[url_digest(url) for url in wanted])
    }
    missing = {url: [page_url] if page_url else [] for url in wanted if url_digest(url) not in rows}
    if missing:
        record_links(site, missing, source=source, replace=False)
        from govsite.core.background import enqueue_once

        from .tasks import check_links_task

        transaction.on_commit(lambda: enqueue_once(check_links_task))
    states = {}
    for url in wanted:
        row = rows.get(url_digest(url))
        if row is None or row.last_checked is None:
            states[url] = LinkState(url, checked=False, ok=False)
            continue
        states[url] = LinkState(
            url, checked=True, ok=row.result == LinkResult.OK, result=row.result,
            label=row.get_result_display(), status=row.status, final_url=row.final_url,
            detail=row.detail, last_checked=row.last_checked,
        )  # fmt: skip
    return states
