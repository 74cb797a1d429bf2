"""The inspection's honesty: each rule on a site made to break it (0 missed) and on a clean site
(0 false alarms), the demo as an inspector sees it today, stable findings, the command and the
nightly job."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site

from govsite.checks.models import CheckOverride, WordRule
from govsite.content.freshness import update_period
from govsite.content.models import ArticlePage, ColumnPage, HomePage
from govsite.content.visibility import listed
from govsite.core.background import _CLOCK
from govsite.inspection.indicators import markup
from govsite.inspection.models import Finding, InspectionRun
from govsite.inspection.rules import RULES, RuleOutcome, Status, inspection_context
from govsite.inspection.runner import inspect_site, prune_runs
from govsite.inspection.tasks import nightly_inspection_task
from govsite.interaction.models import Channel, Message
from govsite.interaction.models import Status as MessageStatus
from govsite.publishing.publisher import suspended
from govsite.sites.models import SiteProfile

pytestmark = pytest.mark.django_db


def check(code: str, site: Site, now: datetime | None = None) -> RuleOutcome:
    with inspection_context(now or timezone.now()):
        return RULES[code].check(site)


def publish_article(
    parent: ColumnPage, title: str = "新发布的信息", body: str = "<p>正文。</p>"
) -> ArticlePage:
    page = ArticlePage(title=title, slug=f"t-{uuid.uuid4().hex[:8]}", body=body, source="本厅")
    parent.add_child(instance=page)
    page.save_revision().publish()
    return ArticlePage.objects.get(pk=page.pk)


def add_column(
    parent: ColumnPage | HomePage, column_type: str = "工作动态", title: str = "新栏目"
) -> ColumnPage:
    column = ColumnPage(
        title=title,
        slug=f"c-{uuid.uuid4().hex[:8]}",
        column_type=column_type,
        description="说明",
        keywords="词",
    )
    parent.add_child(instance=column)
    column.save_revision().publish()
    return ColumnPage.objects.get(pk=column.pk)


@pytest.fixture
def clean_site(kjt_site: Site, settings: Any, tmp_path: Path) -> Iterator[Site]:
    """The S&T demo site brought up to date: a new article in every column that should update or is
    empty, so that every rule's honest answer is a pass. Nothing published yet (an empty public
    directory, whatever other tests left): the link rules have nothing to read."""
    settings.GOVSITE_PUBLIC_DIR = tmp_path
    with suspended():
        for column in listed(ColumnPage.objects.descendant_of(kjt_site.root_page)).order_by("path"):
            column = column.specific
            empty = not listed(column.get_children()).exists()
            if empty or update_period(column) is not None:
                publish_article(column, f"{column.title}最新信息")
    yield kjt_site


def statuses(run: InspectionRun) -> dict[str, str]:
    return dict(run.results.values_list("rule", "status"))


# --- the demo and the clean site --------------------------------------------------------------


def test_demo_is_reported_as_an_inspector_would_today(kjt_site: Site) -> None:
    run = inspect_site(kjt_site)
    results = statuses(run)
    assert results["V3"] == Status.FAIL  # the 2021–2025 demo content: not updated for years
    assert run.vetoed and run.score is None
    home = Finding.objects.get(run=run, rule="V3")
    assert "首页已" in home.message and "天未更新" in home.message
    assert results["V4.1"] in (Status.WARN, Status.FAIL)  # its news columns are stale too
    assert not Finding.objects.filter(run=run, rule="V1.2").exists()


def test_clean_site_raises_no_alarm(clean_site: Site) -> None:
    run = inspect_site(clean_site, now=timezone.now() + timedelta(minutes=5))
    results = statuses(run)
    raised = {code: status for code, status in results.items() if status in (Status.FAIL, Status.WARN)}
    assert raised == {}
    assert set(results) == set(RULES)
    assert not run.findings.exists()
    assert not run.vetoed and run.score == 100
    # Unknown only where there is nothing to read: the deployment does not say (HTTPS, IPv6), no probe
    # has run (V2), no page is published to crawl (L1), outbound links not checked yet (L2).
    unknown = {code for code, status in results.items() if status == Status.UNKNOWN}
    assert unknown == {"M4", "M5", "V2", "L1", "L2"}


def test_findings_are_stable(kjt_site: Site) -> None:
    now = timezone.now()
    first, second = inspect_site(kjt_site, now=now), inspect_site(kjt_site, now=now)

    def listing(run: InspectionRun) -> list[tuple[str, ...]]:
        return list(run.findings.order_by("pk").values_list("rule", "key", "message", "evidence", "fix"))

    assert listing(first) == listing(second) and listing(first)
    assert statuses(first) == statuses(second)


# --- V3 -----------------------------------------------------------------------------------------


def test_home_page_freshness_warns_at_7_days_and_fails_at_14(clean_site: Site) -> None:
    now = timezone.now()
    assert check("V3", clean_site, now).status == Status.PASS
    assert check("V3", clean_site, now + timedelta(days=8)).status == Status.WARN
    outcome = check("V3", clean_site, now + timedelta(days=15))
    assert outcome.status == Status.FAIL and outcome.findings[0].page_id == clean_site.root_page_id


def test_navigation_only_home_page_is_judged_by_its_second_level_pages(kjt_site: Site) -> None:
    ColumnPage.objects.descendant_of(kjt_site.root_page).update(show_on_home=False)
    HomePage.objects.filter(pk=kjt_site.root_page_id).update(focus_count=0)  # no 焦点图 either
    assert check("V3", kjt_site).status == Status.FAIL
    with suspended():
        publish_article(ColumnPage.objects.descendant_of(kjt_site.root_page).get(slug="gzdt"))
    outcome = check("V3", kjt_site)
    assert outcome.status == Status.PASS and "2 周" not in outcome.measured


# --- V4 -----------------------------------------------------------------------------------------


def test_stale_columns_warn_below_five_and_veto_at_five(clean_site: Site) -> None:
    home = clean_site.root_page.specific
    with suspended():
        columns = [add_column(home, "工作动态", f"动态{n}") for n in range(5)]
        for column in columns:
            publish_article(column)
    later = timezone.now() + timedelta(days=1)
    assert check("V4.1", clean_site, later).status == Status.PASS
    ArticlePage.objects.filter(
        pk__in=[a.pk for c in columns[:4] for a in ArticlePage.objects.child_of(c)]
    ).update(pub_date=timezone.now() - timedelta(days=30))
    outcome = check("V4.1", clean_site, later)
    assert outcome.status == Status.WARN and len(outcome.findings) == 4
    ArticlePage.objects.child_of(columns[4]).update(pub_date=timezone.now() - timedelta(days=15))
    outcome = check("V4.1", clean_site, later)
    assert outcome.status == Status.FAIL
    assert {f.page_id for f in outcome.findings} == {c.pk for c in columns}


def test_columns_without_dated_items_count_as_not_updated(clean_site: Site) -> None:
    from govsite.content.models import InfoPage

    home = clean_site.root_page.specific
    with suspended():
        column = add_column(home, "通知公告", "只有说明页的栏目")
        info = InfoPage(title="说明", slug="shuoming", body="<p>说明。</p>")
        column.add_child(instance=info)
        info.save_revision().publish()
    outcome = check("V4.1", clean_site)
    assert [f.page_id for f in outcome.findings] == [column.pk]
    assert "没有带发布日期的信息" in outcome.findings[0].evidence
    assert check("V4.3", clean_site).status == Status.PASS  # not empty: it has a page


def test_long_stale_columns_veto_at_ten(clean_site: Site) -> None:
    home = clean_site.root_page.specific
    with suspended():
        columns = [add_column(home, "其他", f"人事信息{n}") for n in range(10)]  # 人事: 1 year
        for column in columns:
            publish_article(column)
    ArticlePage.objects.filter(path__startswith=home.path, depth=home.depth + 2).filter(
        pk__in=ArticlePage.objects.filter(title="新发布的信息").values("pk")
    ).update(pub_date=timezone.now() - timedelta(days=366))
    outcome = check("V4.2", clean_site)
    assert outcome.status == Status.FAIL and len(outcome.findings) == 10
    assert check("V4.1", clean_site).status == Status.PASS  # 人事 columns are not of V4 (1)'s types
    ColumnPage.objects.filter(pk=columns[0].pk).update(update_days=0)  # the column's own 更新周期: none
    assert check("V4.2", clean_site).status == Status.WARN


def test_empty_columns_veto_at_five(clean_site: Site) -> None:
    home = clean_site.root_page.specific
    with suspended():
        empty = [add_column(home, "其他", f"空栏目{n}") for n in range(5)]
    outcome = check("V4.3", clean_site)
    assert outcome.status == Status.FAIL and {f.page_id for f in outcome.findings} == {c.pk for c in empty}
    ColumnPage.objects.get(pk=empty[0].pk).unpublish()
    assert check("V4.3", clean_site).status == Status.WARN


# --- V5 -----------------------------------------------------------------------------------------


def demo_message(site: Site, **fields: object) -> Message:
    message = Message.objects.filter(origin_site=site).order_by("pk").first()
    assert message is not None
    Message.objects.filter(pk=message.pk).update(**fields)
    return Message.objects.get(pk=message.pk)


def test_unanswered_messages_warn_at_60_days_and_veto_after_3_months(clean_site: Site) -> None:
    today = timezone.localdate()
    message = demo_message(clean_site, status=MessageStatus.ACCEPTED, received_on=today - timedelta(days=70))
    outcome = check("V5", clean_site)
    assert outcome.status == Status.WARN and outcome.findings[0].key == f"V5|{message.number}"
    demo_message(clean_site, received_on=today - timedelta(days=91))
    assert check("V5", clean_site).status == Status.FAIL
    demo_message(clean_site, status=MessageStatus.REJECTED)  # 不予受理: not a valid message
    assert check("V5", clean_site).status == Status.PASS
    demo_message(clean_site, status=MessageStatus.REPLIED, replied_on=today - timedelta(days=1))
    assert check("V5", clean_site).status == Status.PASS  # answered on day 90: not more than 3 months
    demo_message(clean_site, replied_on=today)
    assert check("V5", clean_site).status == Status.FAIL  # answered, but after more than 3 months


def test_no_consultation_channel_vetoes(clean_site: Site) -> None:
    Channel.objects.filter(site=clean_site).update(enabled=False)
    outcome = check("V5", clean_site)
    assert outcome.status == Status.FAIL and outcome.findings[0].key == "V5|channel"


# --- V1 -----------------------------------------------------------------------------------------


def test_a_new_word_list_catches_old_pages(clean_site: Site) -> None:
    article = listed(ArticlePage.objects.descendant_of(clean_site.root_page)).order_by("pk").first()
    assert article is not None
    word = article.title[:4]
    rule = WordRule.objects.create(site=clean_site, word=word, suggestion="", severity="blocking")
    outcome = check("V1.1", clean_site)
    assert outcome.status == Status.FAIL and article.pk in {f.page_id for f in outcome.findings}
    for finding in outcome.findings:  # 放行 of the article's findings (title, body …), with a reason
        if finding.page_id == article.pk:
            key = finding.key.split("|", 2)[2]
            CheckOverride.objects.get_or_create(page=article, key=key, defaults={"reason": "已核实"})
    assert article.pk not in {f.page_id for f in check("V1.1", clean_site).findings}
    rule.severity = "warning"  # saved as the admin saves it (the matcher is rebuilt on updated_at)
    rule.save()
    assert check("V1.1", clean_site).status == Status.PASS
    assert check("C1", clean_site).status == Status.WARN


def test_forged_and_edited_publication_dates_veto(clean_site: Site) -> None:
    articles = listed(ArticlePage.objects.descendant_of(clean_site.root_page)).order_by("pk")
    edited, future = articles[0], articles[1]
    assert check("V1.2", clean_site).status == Status.PASS
    ArticlePage.objects.filter(pk=edited.pk).update(pub_date=edited.pub_date - timedelta(days=3))
    ArticlePage.objects.filter(pk=future.pk).update(pub_date=timezone.now() + timedelta(days=2))
    outcome = check("V1.2", clean_site)
    assert outcome.status == Status.FAIL
    assert {f.key for f in outcome.findings} >= {f"V1.2|{edited.pk}|edited", f"V1.2|{future.pk}|future"}


# --- markup and identity ------------------------------------------------------------------------


def test_missing_meta_and_footer_identity_are_found(clean_site: Site) -> None:
    assert check("M1", clean_site).status == Status.PASS
    assert check("M2", clean_site).status == Status.PASS
    newest = listed(ArticlePage.objects.descendant_of(clean_site.root_page)).order_by("-pub_date", "-pk")[0]
    ColumnPage.objects.filter(pk=newest.get_parent().pk).update(keywords="")
    SiteProfile.objects.filter(site=clean_site).update(icp_number="", conac_image=None)
    meta = check("M1", clean_site)
    assert meta.status == Status.FAIL and [f.key for f in meta.findings] == ["M1|栏目页|ColumnKeywords"]
    footer = check("M2", clean_site)
    assert footer.status == Status.FAIL and {f.key for f in footer.findings} == {"M2|conac", "M2|icp"}


def test_elder_version_and_deployment(
    clean_site: Site, monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    assert check("M3", clean_site).status == Status.PASS
    monkeypatch.setattr(markup, "ELDER_PREFIX", "/laoren")  # no such version: neither linked nor served
    assert check("M3", clean_site).status == Status.FAIL
    settings.GOVSITE_IPV6 = False  # type: ignore[attr-defined]
    assert check("M5", clean_site).status == Status.FAIL
    settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS = True, 3600  # type: ignore[attr-defined]
    assert check("M4", clean_site).status == Status.PASS


# --- runner, command, nightly job ---------------------------------------------------------------


def test_a_broken_rule_is_unknown_not_a_pass(kjt_site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(site: Site) -> RuleOutcome:
        raise RuntimeError("boom")

    from dataclasses import replace

    monkeypatch.setitem(RULES, "V5", replace(RULES["V5"], check=broken))
    run = inspect_site(kjt_site)
    result = run.results.get(rule="V5")
    assert result.status == Status.UNKNOWN and "检查出错" in result.measured


def test_command_json_and_exit_status(kjt_site: Site) -> None:
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("inspect", site="kjt.localhost", format="json", no_progress=True, stdout=out)
    assert exit_info.value.code == 2  # the demo is 不合格 (V3)
    data = json.loads(out.getvalue())
    (site,) = data["sites"]
    assert site["site"] == "kjt.localhost" and site["vetoed"] and site["passed"] is False
    kinds = [rule["kind"] for rule in site["rules"]]
    assert kinds == sorted(kinds, key=["veto", "scored", "advice"].index)  # veto items first
    v3 = next(rule for rule in site["rules"] if rule["code"] == "V3")
    assert v3["light"] == "不合格" and v3["findings"][0]["fix"]
    assert InspectionRun.objects.filter(site=kjt_site, trigger="command").count() == 1


def test_command_text_passes_a_clean_site(clean_site: Site) -> None:
    out = StringIO()
    call_command("inspect", site="kjt.localhost", no_progress=True, stdout=out)  # no SystemExit: 合格
    text = out.getvalue()
    assert "结论：合格" in text
    assert text.index("\n单项否决\n") < text.index("\n扣分指标\n") < text.index("\n建议项\n")


def test_command_refuses_an_unknown_host() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"没有域名为 nope\.localhost 的站点"):
        call_command("inspect", site="nope.localhost", no_progress=True, stdout=StringIO())


def test_nightly_job_inspects_every_site_and_prunes_old_runs(kjt_site: Site) -> None:
    old = InspectionRun.objects.create(site=kjt_site, started_at=timezone.now() - timedelta(days=401))
    kept = InspectionRun.objects.create(site=kjt_site, started_at=timezone.now() - timedelta(days=399))
    nightly_inspection_task.call()
    assert not InspectionRun.objects.filter(pk=old.pk).exists()
    assert InspectionRun.objects.filter(pk=kept.pk).exists()
    assert InspectionRun.objects.filter(trigger="nightly").count() == Site.objects.count()
    assert nightly_inspection_task.module_path in _CLOCK  # queued daily by `govsite scheduler`
    count = InspectionRun.objects.count()
    assert prune_runs(keep_days=0, now=timezone.now() + timedelta(days=1)) == count
    assert not InspectionRun.objects.exists()


def test_personal_data_is_not_copied_into_the_findings() -> None:
    from types import SimpleNamespace

    from govsite.checks.rules import BLOCKING
    from govsite.checks.rules import Finding as CheckFinding
    from govsite.inspection.indicators.content import as_finding

    number = "11010119900307451X"
    found = CheckFinding(
        "id_card", BLOCKING, "body", "正文", "含有居民身份证号码", number, f"证件号{number}。"
    )
    page = SimpleNamespace(pk=7, title="公示", full_url="http://kjt.localhost/a.html")
    finding = as_finding("V1.1", page, found)
    assert number not in finding.key + finding.evidence + finding.message
    assert "1101**********451X" in finding.evidence
    assert finding.key == as_finding("V1.1", page, found).key  # still stable
