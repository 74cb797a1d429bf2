"""V2 站点无法访问 (国办秘函〔2019〕19号 单项否决第 2 项): the share of failed home-page probes over the
last 7 days, from the monitor's stored probes (govsite.monitoring, docs/monitoring.md)."""

from __future__ import annotations

from django.utils import timezone
from wagtail.models import Site

from govsite.monitoring.models import Probe
from govsite.monitoring.probes import WINDOW_DAYS, availability, probe_url

from ..rules import FindingData, Kind, Rule, RuleOutcome, Status, register

VETO_SHARE = 0.05  # ≥ 5 % of the week's probes failed: 单项否决
WARN_SHARE = 0.01  # ≥ 1 %: alert before the veto line
MIN_PROBES = 20  # fewer than a day's worth of probes says nothing about a week
FIX = "检查服务器、网络与域名解析，确认首页在 15 秒内可以打开；详见“网站监测 › 首页监测记录”。"


def check_availability(site: Site) -> RuleOutcome:
    now = timezone.now()
    seen = availability(site, now)
    if seen.probes < MIN_PROBES:
        if probe_url(site) is None:
            measured = "首页监测已停用，无法判断"
        else:
            measured = f"近 {WINDOW_DAYS} 天仅有 {seen.probes} 次监测（至少需要 {MIN_PROBES} 次），无法判断"
        return RuleOutcome(Status.UNKNOWN, measured)
    share = seen.failure_share
    counted = f"近 {WINDOW_DAYS} 天监测 {seen.probes} 次，失败 {seen.failures} 次"
    measured = f"{counted}（{share:.1%}；否决线 5%，预警线 1%）"
    if share >= VETO_SHARE:
        status = Status.FAIL
    elif share >= WARN_SHARE:
        status = Status.WARN
    else:
        return RuleOutcome(Status.PASS, measured)
    failed = Probe.objects.filter(site=site, at__gte=seen.since, ok=False).order_by("-at")
    examples = "；".join(
        f"{timezone.localtime(probe.at):%m-%d %H:%M} {probe.error_label}" for probe in failed[:10]
    )
    finding = FindingData(
        key=f"V2:{site.pk}",
        message=f"首页近 {WINDOW_DAYS} 天无法访问的比例为 {share:.1%}",
        evidence=f"失败 {seen.failures} 次 / 共 {seen.probes} 次。最近的失败：{examples}",
        url=failed[0].url if failed else "",
        page_id=site.root_page_id,
        fix=FIX,
    )
    return RuleOutcome(status, measured, [finding])


AVAILABILITY = register(
    Rule(
        code="V2",
        title="站点无法访问",
        kind=Kind.VETO,
        source="国办秘函〔2019〕19号 单项否决第 2 项",
        threshold="监测 1 周，每天不少于 20 次、超时 15 秒，首页无法访问累计占比 ≥ 5%（1% 预警）",
        check=check_availability,
        order=20,
    )
)
