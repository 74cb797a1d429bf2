"""The availability probe (V2 站点无法访问): each site's home page fetched as the public reaches it,
every GOVSITE_PROBE_INTERVAL_MINUTES (≥ 20 times a day at the default 60), each visit stored.

A probe fails when no 2xx answer (body included) arrives within GOVSITE_PROBE_TIMEOUT seconds (15),
redirects followed within the site only. Only addresses the platform administrator configured are
probed (`ProbeTarget`, else the site's own root URL): they may be intranet addresses, so the public-only
vetting of editors' links does not apply here.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import Site

from .fetch import FetchResult, fetch, same_host
from .models import Probe, ProbeTarget

WINDOW_DAYS = 7  # 国办秘函〔2019〕19号: monitored for one week
PARALLEL = 8  # sites probed at once: a slow site must not delay the others' probes


def probe_url(site: Site) -> str | None:
    """The address probed for `site`, or None when the platform administrator switched it off."""
    target = ProbeTarget.objects.filter(site=site).first()
    if target is not None and not target.enabled:
        return None
    if target is not None and target.url:
        return target.url
    return str(site.root_url).rstrip("/") + "/"


def probe(url: str, timeout: float | None = None) -> FetchResult:
    """Fetch the home page once, body included, within the timeout (the HTTP path, no database)."""
    limit = settings.GOVSITE_PROBE_TIMEOUT if timeout is None else timeout
    return fetch(url, timeout=limit, vet=False, follow=same_host, read_body=True)


def store(site: Site, result: FetchResult, at: datetime) -> Probe:
    return Probe.objects.create(
        site=site,
        at=at,
        url=result.url[:500],
        ok=result.ok,
        status=result.status,
        elapsed_ms=result.elapsed_ms,
        error=result.error,
        detail=result.detail[:255],
    )


def probe_sites(sites: list[Site] | None = None, timeout: float | None = None) -> list[Probe]:
    """Probe every site (or those given) in parallel and store each probe; returns them."""
    chosen = list(Site.objects.all()) if sites is None else sites
    targets = [(site, url) for site in chosen if (url := probe_url(site)) is not None]
    if not targets:
        return []
    at = timezone.now()
    with ThreadPoolExecutor(max_workers=min(PARALLEL, len(targets))) as pool:
        results = list(pool.map(lambda pair: probe(pair[1], timeout), targets))
    return [store(site, result, at) for (site, _url), result in zip(targets, results, strict=True)]


CLOCK_TICKS = 4  # the clock looks for due sites four times per interval


def due_sites(now: datetime | None = None) -> list[Site]:
    """Sites whose last probe is older than the interval less half a tick: with the clock ticking four
    times per interval, each site is probed once per interval even when a worker starts a task a
    little late, and a restarted scheduler (which queues its tasks at once) does not probe twice."""
    now = now or timezone.now()
    interval = settings.GOVSITE_PROBE_INTERVAL_MINUTES
    recent = now - timedelta(minutes=interval - interval / CLOCK_TICKS / 2)
    probed = set(Probe.objects.filter(at__gt=recent).values_list("site_id", flat=True))
    return [site for site in Site.objects.all() if site.pk not in probed]


@dataclass(frozen=True)
class Availability:
    probes: int
    failures: int
    since: datetime

    @property
    def failure_share(self) -> float:
        return self.failures / self.probes if self.probes else 0.0


def availability(site: Site, now: datetime | None = None, days: int = WINDOW_DAYS) -> Availability:
    """Probes and failed probes of the site over the last `days` days."""
    since = (now or timezone.now()) - timedelta(days=days)
    counts = Probe.objects.filter(site=site, at__gte=since).aggregate(
        probes=Count("pk"), failures=Count("pk", filter=Q(ok=False))
    )
    return Availability(counts["probes"], counts["failures"], since)
