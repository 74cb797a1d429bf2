"""A stored run as data (the command's JSON, its text, and any other reader): rules in the inspection's
order (veto items first), each with its light, measurement, threshold, source and findings."""

from __future__ import annotations

from typing import Any

from .labels import kind_label, light, site_label, verdict
from .models import InspectionRun
from .rules import RULES, Kind, Status, all_rules
from .runner import passed


def verdict_text(run: InspectionRun, vetoes: list[str]) -> str:
    """The dashboard's verdict, naming the veto items that decided it."""
    text = verdict(run).text
    return f"不合格（单项否决：{'、'.join(vetoes)}）" if run.vetoed and vetoes else text


def run_as_dict(run: InspectionRun) -> dict[str, Any]:
    """The run for tools (`govsite inspect --format json`); stable keys, documented in docs/inspection.md."""
    results = {result.rule: result for result in run.results.all()}
    findings: dict[str, list[dict[str, Any]]] = {}
    for item in run.findings.order_by("rule", "key"):
        findings.setdefault(item.rule, []).append(
            {
                "key": item.key,
                "message": item.message,
                "evidence": item.evidence,
                "url": item.url,
                "page_id": item.page_id,
                "fix": item.fix,
            }
        )
    order = [rule.code for rule in all_rules()]
    codes = sorted(results, key=lambda code: (order.index(code) if code in order else len(order), code))
    rules = []
    for code in codes:
        result, rule = results[code], RULES.get(code)
        status = Status(result.status)
        rules.append(
            {
                "code": code,
                "title": rule.title if rule else code,
                "kind": result.kind,
                "status": status.value,
                "light": light(status).text,
                "measured": result.measured,
                "threshold": rule.threshold if rule else "",
                "source": rule.source if rule else "",
                "findings": findings.get(code, []),
            }
        )
    vetoes = [
        f"{r['code']} {r['title']}" for r in rules if r["kind"] == Kind.VETO and r["status"] == Status.FAIL
    ]
    return {
        "site": run.site.hostname,
        "site_name": site_label(run.site),
        "run_id": run.pk,
        "started_at": run.started_at.isoformat(),
        "trigger": run.trigger,
        "passed": passed(run),
        "vetoed": run.vetoed,
        "score": run.score,
        "verdict": verdict_text(run, vetoes),
        "rules": rules,
    }


def run_as_text(data: dict[str, Any]) -> str:
    """The run for a person at a terminal: the verdict, then the rules veto items first, each finding
    with its evidence, address and fix."""
    lines = [f"== {data['site_name']}（{data['site']}）==", f"结论：{data['verdict']}"]
    kind = None
    for rule in data["rules"]:
        if rule["kind"] != kind:
            kind = rule["kind"]
            lines.append(f"\n{kind_label(kind)}")
        mark = light(rule["status"])
        lines.append(f"  [{mark.symbol} {mark.text}] {rule['code']} {rule['title']}：{rule['measured']}")
        if rule["status"] != Status.PASS:
            lines.append(f"      阈值：{rule['threshold']}（{rule['source']}）")
        for item in rule["findings"]:
            lines.append(f"      · {item['message']}")
            if item["evidence"]:
                lines.append(f"        依据：{item['evidence']}")
            if item["url"]:
                lines.append(f"        地址：{item['url']}")
            if item["fix"]:
                lines.append(f"        整改：{item['fix']}")
    return "\n".join(lines)
