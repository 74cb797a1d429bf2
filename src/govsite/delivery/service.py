"""Bring targets up to date: apply the changesets a target has not had, or mirror the whole site.

A target remembers the last changeset applied (TargetState); one that was down catches up on the
next delivery (a publish, or the clock's catch_up_task). The files pushed are always the source's
current ones, so applying the union of several changesets is the same as applying them in turn.
"""

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from wagtail.models import Site

from govsite.publishing.layout import site_dir

from .backends import DeliveryError, backend_for
from .changesets import is_delivered, needs_whole_site
from .models import Changeset, Target, TargetState

logger = logging.getLogger("govsite.delivery")


def targets_for(site: Site) -> QuerySet[Target]:
    return Target.objects.filter(Q(site=site) | Q(site__isnull=True), enabled=True)


def latest_sequence(site: Site) -> int:
    return Changeset.objects.filter(site=site).aggregate(latest=Max("sequence"))["latest"] or 0


def needs_full_sync(state: TargetState, pending: QuerySet[Changeset], latest: int) -> bool:
    """A target never synced, a whole-site changeset, a backlog too old or too big to replay, or one
    with changesets pruned meanwhile (fewer stored than the sequence numbers it lacks)."""
    if not state.synced or needs_whole_site(pending, state.applied_sequence, latest):
        return True
    if latest - state.applied_sequence > settings.GOVSITE_DELIVERY_MAX_BACKLOG:  # all stored: the count
        return True
    oldest = pending.order_by("sequence").values_list("created_at", flat=True).first()
    age = timedelta(hours=settings.GOVSITE_DELIVERY_MAX_BACKLOG_HOURS)
    return oldest is not None and timezone.now() - oldest > age


@dataclass
class Outcome:
    target: Target
    site: Site
    applied: int = 0  # the changeset sequence the target now has
    full_sync: bool = False
    error: str = ""

    def __str__(self) -> str:
        if self.error:
            return f"{self.target} / {self.site.hostname}：失败，{self.error}"
        kind = "全量同步" if self.full_sync else "增量"
        return f"{self.target} / {self.site.hostname}：{kind}，已应用到 #{self.applied}"


@dataclass
class Plan:
    """One target's delivery of one site, decided from the database: `run` touches files only, so the
    plans of several targets run in threads at once."""

    outcome: Outcome
    state: TargetState
    latest: int
    run: Callable[[], None] | None = None  # None: nothing to do


def plan(target: Target, site: Site) -> Plan:
    state, _ = TargetState.objects.get_or_create(target=target, site=site)
    latest = latest_sequence(site)
    found = Plan(Outcome(target, site, applied=state.applied_sequence), state, latest)
    source = site_dir(site.hostname)
    if (state.synced and state.applied_sequence >= latest) or not source.is_dir():
        return found
    pending = Changeset.objects.filter(site=site, sequence__gt=state.applied_sequence, sequence__lte=latest)
    backend = backend_for(target)
    found.outcome.full_sync = needs_full_sync(state, pending, latest)
    if found.outcome.full_sync:
        found.run = partial(backend.mirror, source, site.hostname)
        return found
    paths: set[str] = set()
    for manifest in pending.values_list("manifest", flat=True):
        paths.update(manifest)
    present = [rel for rel in paths if is_delivered(rel) and (source / rel).is_file()]
    found.run = partial(backend.apply, source, site.hostname, present, sorted(paths.difference(present)))
    return found


def execute(plan: Plan) -> str:
    """Run a plan (no database access: safe in a thread); the error, or ""."""
    if plan.run is None:
        return ""
    try:
        plan.run()
    except DeliveryError as exc:
        logger.warning(
            "Delivery of %s to %s failed: %s", plan.outcome.site.hostname, plan.outcome.target, exc
        )
        return str(exc)
    return ""


def finish(plan: Plan, error: str) -> Outcome:
    """Store how a plan went: the error, or the sequence the target now has."""
    outcome = plan.outcome
    if plan.run is None:
        return outcome
    now = timezone.now()
    if error:
        outcome.error = error
        TargetState.objects.filter(pk=plan.state.pk).update(last_error=error, last_attempt=now)
        return outcome
    # Never move backwards: a slower concurrent delivery of an older sequence must not undo a newer one.
    TargetState.objects.filter(pk=plan.state.pk, applied_sequence__lte=plan.latest).update(
        applied_sequence=plan.latest, synced=True, last_error="", last_attempt=now, last_success=now
    )
    outcome.applied = plan.latest
    return outcome


def run_plans(plans: list[Plan]) -> list[Outcome]:
    """Run the plans at once (each target is another machine: one slow node does not hold up the rest)."""
    busy = [p for p in plans if p.run is not None]
    if len(busy) <= 1:
        errors = [execute(p) for p in plans]
    else:
        with ThreadPoolExecutor(max_workers=min(len(plans), settings.GOVSITE_DELIVERY_PARALLEL)) as pool:
            errors = list(pool.map(execute, plans))
    return [finish(p, error) for p, error in zip(plans, errors, strict=True)]


def deliver(target: Target, site: Site) -> Outcome:
    """Bring one target up to date for one site; an error is stored on its state, not raised."""
    return run_plans([plan(target, site)])[0]


def deliver_site(site: Site) -> list[Outcome]:
    return run_plans([plan(target, site) for target in targets_for(site)])


def sites_of(target: Target) -> list[Site]:
    if target.site is not None:
        return [target.site]
    return list(Site.objects.order_by("hostname"))


def behind() -> list[tuple[Target, Site]]:
    """Every (target, site) whose target lacks changesets, was never synced, or last failed."""
    states = {(s.target_id, s.site_id): s for s in TargetState.objects.all()}
    latest = dict(
        Changeset.objects.values("site").annotate(latest=Max("sequence")).values_list("site", "latest")
    )
    found = []
    for target in Target.objects.filter(enabled=True).select_related("site"):
        for site in sites_of(target):
            state = states.get((target.pk, site.pk))
            if not site_dir(site.hostname).is_dir():
                continue
            if (
                state is None
                or not state.synced
                or state.last_error
                or state.applied_sequence < latest.get(site.pk, 0)
            ):
                found.append((target, site))
    return found


def catch_up() -> list[Outcome]:
    """Retry every target that is behind (the platform clock runs this every minute)."""
    return run_plans([plan(target, site) for target, site in behind()])


def verify(site: Site | None = None) -> dict[tuple[Target, Site], list[str]]:
    """How each enabled target differs from the source, per site (an unreachable target: its error)."""
    found: dict[tuple[Target, Site], list[str]] = {}
    targets = Target.objects.filter(enabled=True).select_related("site")
    for target in targets:
        for each in sites_of(target):
            if site is not None and each.pk != site.pk:
                continue
            if not site_dir(each.hostname).is_dir():
                continue
            try:
                found[(target, each)] = backend_for(target).differences(
                    site_dir(each.hostname), each.hostname
                )
            except DeliveryError as exc:
                found[(target, each)] = [f"无法比较：{exc}"]
    return found


def retention() -> timedelta:
    """How long a changeset is kept: GOVSITE_DELIVERY_KEEP_DAYS, and never less than the backlog window
    (GOVSITE_DELIVERY_MAX_BACKLOG_HOURS), so a target still lacking a pruned changeset is one whose
    backlog is older than the window: it gets a full sync, which needs no changeset."""
    return max(
        timedelta(days=settings.GOVSITE_DELIVERY_KEEP_DAYS),
        timedelta(hours=settings.GOVSITE_DELIVERY_MAX_BACKLOG_HOURS),
    )


def prune(now: datetime | None = None) -> int:
    """Delete each site's changesets older than the retention, oldest first, always keeping its latest
    (the sequence targets compare with); the number deleted.

    A target up to date has applied them; one behind by any of them full-syncs anyway (its oldest
    pending changeset is older than the backlog window), and the gap left by pruning tells plan() so
    even after the rest of its backlog has turned recent: no target replays a changeset that is gone.
    """
    cutoff = (now or timezone.now()) - retention()
    deleted = 0
    latest = Changeset.objects.values("site").annotate(latest=Max("sequence")).values_list("site", "latest")
    for site_id, last in latest:
        old = Changeset.objects.filter(site_id=site_id, sequence__lt=last, created_at__lt=cutoff)
        upto = old.aggregate(upto=Max("sequence"))["upto"]
        if upto is not None:  # a prefix: sequences up to the newest old one
            deleted += Changeset.objects.filter(site_id=site_id, sequence__lte=upto).delete()[0]
    return deleted
