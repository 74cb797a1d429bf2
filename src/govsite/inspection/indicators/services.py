"""V6 服务不实用 (国办秘函〔2019〕19号 单项否决第 6 项): the site provides 办事服务, its 办事指南 carry the
ten key elements, their downloads and online-service links work.

What is read: the site's listed columns of type 办事服务 and what they hold, every listed 办事指南
(`services.ServiceGuidePage`, its `element_gaps()` and material files), and articles titled “…办事指南”
in a 办事服务 column, written before the structured page type existed (their text is searched for each
element's heading, `services.elements.text_gaps`).

The veto threshold of the missing elements was not readable in the copies of the checklist found; from
memory it is “missing ≥ 4 categories in ≥ 5 items” (requirements §2.2 V6, confidence L), kept in the two
constants below. Any guide with a missing element is a finding (WARN) below that line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from django.db.models import Q
from wagtail.models import Page, Site

from govsite.content.body import body_text
from govsite.content.models import ArticlePage, ColumnPage, ColumnType
from govsite.content.visibility import document_is_public, listed
from govsite.core.models import subtree_q
from govsite.services.elements import NONE_ANSWER, text_gaps
from govsite.services.models import ServiceGuidePage

from ..rules import FindingData, Kind, Rule, RuleOutcome, Status, register

CODE = "V6"
VETO_MISSING_ELEMENTS = 4  # a guide missing this many element categories or more …
VETO_GUIDES = 5  # … in this many guides vetoes the site
VETO_LINE = f"{VETO_GUIDES} 个以上事项各缺少 {VETO_MISSING_ELEMENTS} 类以上要素"
GAPS_FIX = f"在办事指南中补全缺少的要素；某一要素确实不适用的，填写“{NONE_ANSWER}”。"


def check_service_links(site: Site, urls: Sequence[str]) -> Mapping[str, str] | None:
    """What is wrong with each of `urls` (the 在线办理 addresses and material files of the site's
    guides), "" for a URL that resolves, through the link rules' checker (`links.check_urls`):
    internal addresses against the published files at once, outbound ones from the background check
    (govsite.monitoring). An outbound address the background check has not reached yet is left out:
    it never counts as working because nobody looked (None while only such addresses remain), and it
    is registered to be checked.
    """
    from .links import check_urls

    answers = check_urls(site, urls, source="services")
    problems = {url: answer.problem for url, answer in answers.items() if answer.ok is False}
    if not problems and any(answer.ok is None for answer in answers.values()):
        return None  # some not checked yet: the measured text says so
    return {url: problems.get(url, "") for url in answers}


def service_columns(site: Site) -> list[ColumnPage]:
    columns = ColumnPage.objects.descendant_of(site.root_page).filter(column_type=ColumnType.SERVICES)
    return list(listed(columns).order_by("path"))


def _has_content(columns: list[ColumnPage]) -> bool:
    """Whether the 办事服务 columns hold anything the public can open other than sub-columns."""
    subtree = Q()
    for column in columns:
        subtree |= subtree_q(column)
    found: bool = listed(Page.objects.filter(subtree)).not_type(ColumnPage).exists()
    return found


def _gap_finding(page: Page, gaps: list[str], written_as_article: bool) -> FindingData:
    how = "（文章形式，未找到以下要素的标题）" if written_as_article else ""
    return FindingData(
        key=f"{CODE}:gaps:{page.pk}",
        message=f"办事指南《{page.title}》缺少 {len(gaps)} 类要素：{'、'.join(gaps)}",
        evidence=f"缺少{how}：{'、'.join(gaps)}；否决线：{VETO_LINE}",
        url=page.full_url or "",
        page_id=page.pk,
        fix=GAPS_FIX if not written_as_article else "改用“办事指南”页面类型重新发布，逐项填写十类要素。",
    )


def _file_findings(guide: ServiceGuidePage) -> list[FindingData]:
    """Materials whose file the public cannot download: missing from storage, or not public."""
    findings = []
    for material in guide.materials.all():
        document = material.document
        if document is None:
            continue
        if not document.file or not document.file.storage.exists(document.file.name):
            problem, evidence = "附件文件缺失", f"文件 {document.file.name or '（无）'} 不存在"
        elif not document_is_public(document):
            problem, evidence = "附件不能公开下载", f"文件《{document.title}》不属于本部门素材库或未公开"
        else:
            continue
        findings.append(
            FindingData(
                key=f"{CODE}:file:{guide.pk}:{material.pk}",
                message=f"办事指南《{guide.title}》的材料“{material.name}”{problem}",
                evidence=evidence,
                url=guide.full_url or "",
                page_id=guide.pk,
                fix="在办事指南的“办理材料”中重新上传该材料的文件（从本部门素材库选择）。",
            )
        )
    return findings


def _article_guides(columns: list[ColumnPage]) -> list[ArticlePage]:
    """Guides published as articles in a 办事服务 column (before the 办事指南 page type)."""
    subtree = Q()
    for column in columns:
        subtree |= subtree_q(column)
    articles = listed(ArticlePage.objects.filter(subtree)).filter(title__contains="办事指南")
    return list(articles.order_by("path"))


def _link_findings(site: Site, guides: list[ServiceGuidePage]) -> tuple[list[FindingData], bool]:
    """The link checker's verdict on every guide's 在线办理 address; False when nothing was checked.
    (Material files are checked above, from storage and the visibility rule: one finding per file.)"""
    pages_of: dict[str, list[ServiceGuidePage]] = defaultdict(list)
    root = site.root_url.rstrip("/")
    for guide in guides:
        if url := guide.online_url:
            pages_of[url if "://" in url else root + url].append(guide)
    if not pages_of:
        return [], True
    problems = check_service_links(site, sorted(pages_of))
    if problems is None:
        return [], False
    findings = [
        FindingData(
            key=f"{CODE}:link:{guide.pk}:{url}",
            message=f"办事指南《{guide.title}》的链接无法正常访问",
            evidence=f"{url}：{problem}",
            url=guide.full_url or "",
            page_id=guide.pk,
            fix="核实在线办理地址或附件，更正链接或重新上传文件。",
        )
        for url, problem in sorted(problems.items())
        if problem
        for guide in pages_of.get(url, [])
    ]
    return findings, True


def check(site: Site) -> RuleOutcome:
    columns = service_columns(site)
    if not columns or not _has_content(columns):
        message = "网站未提供办事服务（无“办事服务”类型的栏目）" if not columns else "办事服务栏目无内容"
        finding = FindingData(
            key=f"{CODE}:none",
            message=message,
            evidence="栏目类型为“办事服务”的栏目："
            + ("无" if not columns else "、".join(c.title for c in columns)),
            url=site.root_url,
            page_id=columns[0].pk if columns else None,
            fix="设置“办事服务”栏目，发布本部门政务服务事项的办事指南，或链接到政务服务网的办理入口。",
        )
        return RuleOutcome(Status.FAIL, measured=message, findings=[finding])

    guides = list(
        listed(ServiceGuidePage.objects.descendant_of(site.root_page))
        .prefetch_related("materials__document")
        .order_by("path")
    )
    findings: list[FindingData] = []
    gap_counts = []
    for guide in guides:
        gaps = guide.element_gaps()
        if gaps:
            findings.append(_gap_finding(guide, gaps, written_as_article=False))
            gap_counts.append(len(gaps))
        findings += _file_findings(guide)
    articles = _article_guides(columns)
    for article in articles:
        gaps = text_gaps(f"{article.title}\n{body_text(article.body)}")
        if gaps:
            findings.append(_gap_finding(article, gaps, written_as_article=True))
            gap_counts.append(len(gaps))
    link_findings, links_checked = _link_findings(site, guides)
    findings += link_findings

    severe = sum(1 for count in gap_counts if count >= VETO_MISSING_ELEMENTS)
    total = len(guides) + len(articles)
    measured = (
        f"办事指南 {total} 个，缺少要素 {len(gap_counts)} 个，其中缺少 {VETO_MISSING_ELEMENTS} 类以上 "
        f"{severe} 个（否决线 {VETO_GUIDES} 个）"
    )
    if not links_checked:
        measured += "；在线办理链接和附件地址待外链检测"
    if severe >= VETO_GUIDES:
        status = Status.FAIL
    elif findings:
        status = Status.WARN
    else:
        status = Status.PASS
    return RuleOutcome(status, measured=measured, findings=findings)


RULE = register(
    Rule(
        code=CODE,
        title="服务不实用",
        kind=Kind.VETO,
        source="国办秘函〔2019〕19号 单项否决第 6 项",
        threshold=f"未提供办事服务；或办事指南要素缺失（{VETO_LINE}），附件、在线办理链接不可用",
        check=check,
        order=60,
    )
)
