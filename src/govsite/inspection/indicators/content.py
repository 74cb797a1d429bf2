"""V1 严重问题 as far as the content shows it (国办秘函〔2019〕19号 单项否决第 1 项).

- V1.1: the pre-publication checks of govsite.checks (错敏字 and sensitive words of the current word
  lists, leaders' names and titles, personal data) over the live content of every public page. A word
  added to a list today catches pages published years ago; a finding a reviewer let through with a
  recorded reason (放行, `CheckOverride`) stays let through, as at the publication gate.
- C1: the same checks' warnings (常见错别字, 不规范表述): reported, not a veto.
- V1.2 弄虚作假: a 发布日期 in the future, or changed after the article was first published (the
  article's revisions saved since then, and its live row, must all carry the same date).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models.fields.json import KeyTextTransform
from django.utils.dateparse import parse_datetime
from wagtail.models import Page, Revision, Site

from govsite.checks.models import CheckOverride
from govsite.checks.rules import Finding as CheckFinding
from govsite.checks.services import leaders_for, page_text_findings, word_matcher_for
from govsite.content.models import ArticlePage, local_datetime, to_minute
from govsite.content.visibility import public_pages
from govsite.core.personal import mask_number

from ..rules import (
    FindingData,
    Kind,
    Rule,
    RuleOutcome,
    Status,
    checked_at,
    register,
    report_progress,
    run_memo,
)

CHUNK = 500


def public_pages_of(site: Site) -> Iterator[Page]:
    """Every public page of the site as its specific type: articles in bulk (with their attachments),
    then the few pages of other types."""
    home = site.root_page
    articles = (
        public_pages(ArticlePage.objects.descendant_of(home))
        .prefetch_related("attachments__document")
        .order_by("pk")
    )
    yield from articles.iterator(chunk_size=CHUNK)
    others = public_pages(Page.objects.descendant_of(home, inclusive=True)).not_exact_type(ArticlePage)
    yield from others.order_by("pk").specific().iterator(chunk_size=CHUNK)


def public_page_count(site: Site) -> int:
    return int(public_pages(Page.objects.descendant_of(site.root_page, inclusive=True)).count())


@dataclass
class TextScan:
    """The content checks' findings over a whole site, split by severity (read once per run)."""

    blocking: list[FindingData] = field(default_factory=list)
    warnings: list[FindingData] = field(default_factory=list)
    pages: int = 0


PERSONAL_CODES = {"id_card", "mobile", "bank_card"}


def as_finding(code: str, page: Page, found: CheckFinding) -> FindingData:
    """A check's finding as an inspection finding. Personal data is not copied into the inspection's
    records: its evidence shows the number masked, its key a digest of it."""
    where = f"{found.field_label}：{found.context or found.match}"
    check_key = found.key
    if found.code in PERSONAL_CODES:
        where = f"{found.field_label}：{mask_number(found.match)}"
        digest = hashlib.sha256(found.match.encode()).hexdigest()[:16]
        check_key = f"{found.code}|{found.field}|{digest}"
    return FindingData(
        key=f"{code}|{page.pk}|{check_key}",
        message=f"《{page.title}》{found.message}",
        evidence=where,
        url=page.full_url or "",
        page_id=page.pk,
        fix=found.suggestion or "修改页面内容后重新发布。",
    )


def scan_site(site: Site) -> TextScan:
    """Run the text checks over the site's public pages once per inspection (V1.1 and C1 share it)."""
    memo = run_memo()
    key = ("text_scan", site.pk)
    if key in memo:
        scan: TextScan = memo[key]
        return scan
    matcher, leaders = word_matcher_for(site), leaders_for(site)
    allowed: dict[int, set[str]] = {}
    overrides = CheckOverride.objects.filter(page__path__startswith=site.root_page.path)
    for page_id, check_key in overrides.values_list("page_id", "key"):
        allowed.setdefault(page_id, set()).add(check_key)
    total = public_page_count(site)
    scan = TextScan()
    for page in public_pages_of(site):
        for found in page_text_findings(page, matcher, leaders):
            if found.blocking and found.key not in allowed.get(page.pk, set()):
                scan.blocking.append(as_finding("V1.1", page, found))
            elif not found.blocking:
                scan.warnings.append(as_finding("C1", page, found))
        scan.pages += 1
        if scan.pages % CHUNK == 0:
            report_progress(scan.pages, total)
    report_progress(scan.pages, total)
    memo[key] = scan
    return scan


def check_serious_content(site: Site) -> RuleOutcome:
    scan = scan_site(site)
    measured = f"检查 {scan.pages} 个页面，严重问题 {len(scan.blocking)} 处（否决线 1 处）"
    return RuleOutcome(Status.FAIL if scan.blocking else Status.PASS, measured, scan.blocking)


def check_wording(site: Site) -> RuleOutcome:
    scan = scan_site(site)
    measured = f"检查 {scan.pages} 个页面，提醒 {len(scan.warnings)} 处"
    return RuleOutcome(Status.WARN if scan.warnings else Status.PASS, measured, scan.warnings)


register(
    Rule(
        code="V1.1",
        title="严重表述错误与敏感信息",
        kind=Kind.VETO,
        source="国办秘函〔2019〕19号 单项否决第 1 项（严重表述错误、泄露国家秘密等）；敏感词表与领导职务库",
        threshold="现行词表、领导职务库和个人信息检查的“阻止发布”问题，1 处即否决（已记录放行理由的除外）",
        check=check_serious_content,
        order=11,
    )
)
register(
    Rule(
        code="C1",
        title="错别字与不规范表述",
        kind=Kind.ADVICE,
        source="发布前检查的“提醒”类问题（常见错别字、不规范表述）",
        threshold="现行词表的提醒类问题，逐条列出",
        check=check_wording,
        order=110,
    )
)


# --- V1.2 forged or edited 发布日期 ---------------------------------------------------------------


def article_dates(site: Site) -> dict[int, tuple[datetime | None, datetime | None, str]]:
    """Public articles of the site: id → (pub_date, first_published_at, title)."""
    articles = public_pages(ArticlePage.objects.descendant_of(site.root_page))
    return {
        pk: (pub, first, title)
        for pk, pub, first, title in articles.values_list("pk", "pub_date", "first_published_at", "title")
    }


def revision_dates(ids: set[int]) -> Iterator[tuple[int, datetime, datetime | None]]:
    """(article id, revision created_at, the revision's 发布日期) for the articles' revisions, reading
    only the date out of each revision's JSON."""
    content_type = ContentType.objects.get_for_model(ArticlePage)
    revisions = (
        Revision.objects.filter(content_type=content_type)
        .annotate(revision_pub_date=KeyTextTransform("pub_date", "content"))
        .values_list("object_id", "created_at", "revision_pub_date")
        .order_by("object_id", "created_at")
    )
    for object_id, created_at, value in revisions.iterator(chunk_size=5000):
        if object_id.isdigit() and int(object_id) in ids:
            parsed = parse_datetime(value) if value else None
            yield int(object_id), created_at, parsed


def minute(value: datetime | None) -> str:
    return f"{local_datetime(value):%Y-%m-%d %H:%M}" if value else "（无）"


def check_dates(site: Site) -> RuleOutcome:
    now = checked_at()
    articles = article_dates(site)
    findings: list[FindingData] = []
    edited: dict[int, datetime] = {}
    for pk, created_at, revision_date in revision_dates(set(articles)):
        pub, first, _ = articles[pk]
        if pub is None or first is None or revision_date is None or created_at < first:
            continue
        if to_minute(revision_date) != to_minute(pub):
            edited.setdefault(pk, revision_date)
    for pk, (pub, _first, title) in sorted(articles.items()):
        if pub is not None and pub > now:
            findings.append(
                FindingData(
                    key=f"V1.2|{pk}|future",
                    message=f"《{title}》的发布日期晚于当前时间",
                    evidence=f"发布日期 {minute(pub)}，检查时间 {minute(now)}",
                    page_id=pk,
                    fix="发布日期须为实际发布时间：核实后撤稿并重新发布，不得预填日期。",
                )
            )
        if pk in edited:
            findings.append(
                FindingData(
                    key=f"V1.2|{pk}|edited",
                    message=f"《{title}》的发布日期在首次发布后被修改",
                    evidence=(f"首次发布后的版本记录为 {minute(edited[pk])}，现为 {minute(pub)}"),
                    page_id=pk,
                    fix="恢复原发布日期，并查明修改原因（发布日期发布后不可修改）。",
                )
            )
    measured = f"检查 {len(articles)} 篇稿件，发布日期异常 {len(findings)} 处（否决线 1 处）"
    return RuleOutcome(Status.FAIL if findings else Status.PASS, measured, findings)


register(
    Rule(
        code="V1.2",
        title="发布日期弄虚作假",
        kind=Kind.VETO,
        source="国办秘函〔2019〕19号 单项否决第 1 项（弄虚作假，如伪造发稿日期）",
        threshold="发布日期晚于检查时间，或首次发布后被修改，1 篇即否决",
        check=check_dates,
        order=12,
    )
)
