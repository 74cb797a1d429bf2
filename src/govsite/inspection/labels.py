"""How a run, a rule and its verdict are named to people: the dashboard, the cluster ranking and the
filed report say the same words. A light is never colour alone: each has a symbol and a word."""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.models import Site

from .models import InspectionRun
from .rules import RULES, Kind, Status
from .runner import PASS_SCORE

KIND_LABELS: dict[str, str] = {Kind.VETO: "单项否决", Kind.SCORED: "扣分指标", Kind.ADVICE: "建议项"}
TRIGGER_LABELS = {"manual": "手动", "nightly": "每日定时", "command": "命令行"}


@dataclass(frozen=True)
class Light:
    status: str  # the CSS modifier: pass | warn | fail | unknown
    symbol: str
    text: str


LIGHTS: dict[str, Light] = {
    Status.PASS: Light("pass", "✓", "合格"),
    Status.WARN: Light("warn", "!", "预警"),
    Status.FAIL: Light("fail", "✗", "不合格"),
    Status.UNKNOWN: Light("unknown", "?", "无法检测"),
}


def light(status: str) -> Light:
    """A stored status's light (an unknown value shows as 无法检测, never as a pass)."""
    return LIGHTS.get(status, LIGHTS[Status.UNKNOWN])


@dataclass(frozen=True)
class Verdict:
    passed: bool | None  # None: not scored (nothing to judge yet)
    text: str
    light: Light


def verdict(run: InspectionRun) -> Verdict:
    """不合格 on any veto, or with a score below 60; otherwise the score."""
    if run.vetoed:
        return Verdict(False, "不合格（单项否决）", LIGHTS[Status.FAIL])
    if run.score is None:
        return Verdict(None, "未评分", LIGHTS[Status.UNKNOWN])
    if run.score < PASS_SCORE:
        return Verdict(False, f"不合格（{run.score} 分）", LIGHTS[Status.FAIL])
    return Verdict(True, f"合格（{run.score} 分）", LIGHTS[Status.PASS])


def site_label(site: Site) -> str:
    """The site's official name (its 网站名称 setting), else Wagtail's site name, else the host: what
    the text, JSON and filed reports call the site."""
    from govsite.sites.models import SiteProfile

    profile = SiteProfile.objects.filter(site=site).first()
    return (profile.site_name if profile else "") or site.site_name or site.hostname


def rule_title(code: str) -> str:
    """ "V3 首页不更新", or the bare code of a rule no longer registered."""
    rule = RULES.get(code)
    return f"{code} {rule.title}" if rule else code


def rule_order(code: str, kind: str = "") -> tuple[int, int, str]:
    """Veto items first, then the registry's order (a retired rule by its stored kind, last)."""
    rule = RULES.get(code)
    if rule is None:
        return (0 if kind == Kind.VETO else 1, 10_000, code)
    return (0 if rule.kind == Kind.VETO else 1, rule.order, code)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)
