"""Links (国办秘函〔2019〕19号 扣分指标 链接可用性; 单项否决第 1 项 for links to a domain that changed
hands): every published file of the site crawled for broken internal links (none tolerated), and the
outbound links found there checked in the background by the monitor (govsite.monitoring).

The published files are read as `govsite serve` and nginx serve them (`publishing.layout`): an address
is fine when its file exists (or a directory, which redirects to its slash, or a redirect file); a
withdrawn address (410) or a missing one (404) is broken. Documents are checked against the document
table and its files; addresses the application answers (search, forms) are taken as reachable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Site

from govsite.monitoring import outbound
from govsite.monitoring.crawl import CrawlResult, Target, crawl_site
from govsite.monitoring.models import ExternalLink, LinkCrawl, LinkResult
from govsite.publishing import layout

from ..rules import FindingData, Kind, Rule, RuleOutcome, Status, register

DOCUMENT_PREFIX = "/documents/"
FIX_INTERNAL = "修改或删除所在页面中的该链接（或恢复、重新发布被链接的页面），然后重新发布。"
FIX_OUTBOUND = {
    LinkResult.DOMAIN_CHANGED: "核实该网站是否已更换域名或被他人注册；确认内容安全后更新链接，否则立即删除。",
    LinkResult.NOT_PUBLIC: "链接指向内网地址，公众无法访问：改为公网地址或删除该链接。",
}
FIX_OUTBOUND_DEFAULT = "确认网址是否正确、对方网站是否已调整；更新或删除该链接。"
FAILURES_FOR_FAIL = 2  # a timeout or refused connection counts as broken when it happened twice in a row


class PublishedFiles:
    """Answers "is this internal address reachable?" from the published files, without a request.

    Everything that needs the database is loaded on creation: the crawl's worker processes inherit
    this object and must not query.
    """

    def __init__(self) -> None:
        self.public_root = layout.public_root()
        self.dynamic = layout.dynamic_prefixes()
        self.media_root = Path(settings.MEDIA_ROOT)
        documents = get_document_model().objects.values_list("pk", "file")
        self.documents = {pk: str(name) for pk, name in documents}
        self.static_root = Path(settings.STATIC_ROOT)

    def problem(self, host: str, path: str) -> str | None:
        if path.startswith(DOCUMENT_PREFIX):
            return self.document_problem(path)
        if path.startswith(self.dynamic) or (path + "/").startswith(self.dynamic):
            return None  # answered by the application (search, forms): not a published file
        if path.startswith("/static/"):
            rel = path[len("/static/") :]
            found = (self.static_root / rel).is_file() or finders.find(rel) is not None
            return None if found else "静态文件不存在"
        if path.startswith("/media/"):
            return None if (self.media_root / path[len("/media/") :]).is_file() else "图片或文件不存在"
        return self.file_problem(host, path)

    def file_problem(self, host: str, path: str) -> str | None:
        root = self.public_root / host
        rel = layout.relative_file(path)
        if rel is None:
            return "地址无效"
        target = root / rel
        if target.is_file() or target.is_dir():
            return None
        if (root / layout.status_file(rel, layout.REDIRECT_SUFFIX)).is_file():
            return None  # redirects (a moved page's old address, a link column)
        if (root / layout.status_file(rel, layout.GONE_SUFFIX)).is_file():
            return "页面已撤稿（410）"
        return "页面不存在（404）"

    def document_problem(self, path: str) -> str | None:
        parts = path[len(DOCUMENT_PREFIX) :].split("/")
        if not parts or not parts[0].isdigit():
            return None  # Wagtail's other document views
        name = self.documents.get(int(parts[0]))
        if name is None:
            return "附件不存在（已删除）"
        if not (self.media_root / name).is_file():
            return "附件文件缺失"
        return None


def site_host(site: Site) -> str:
    return str(site.hostname).lower()


def crawl(site: Site, workers: int | None = None) -> CrawlResult | None:
    """Crawl the site's published files, store the summary and the outbound links found; None when the
    site has never been published as files."""
    site_dir = layout.site_dir(site_host(site))
    if not site_dir.is_dir():
        return None
    started = timezone.now()
    hosts = {str(name).lower() for name in Site.objects.values_list("hostname", flat=True)}
    scheme = urlsplit(str(site.root_url)).scheme or "http"
    result = crawl_site(site_dir, site_host(site), hosts, PublishedFiles().problem, scheme, workers)
    LinkCrawl.objects.create(
        site=site,
        started_at=started,
        seconds=round(result.seconds, 2),
        files=result.files,
        internal_links=result.internal,
        broken_links=len(result.broken),
        external_links=len(result.external),
    )
    found = {url: target.pages for url, target in result.external.items()}
    if outbound.record_links(site, found):
        from govsite.core.background import enqueue_once
        from govsite.monitoring.tasks import check_links_task

        transaction.on_commit(lambda: enqueue_once(check_links_task))
    return result


def _pages(target: Target) -> str:
    shown = "、".join(target.pages[:5])
    more = f" 等 {target.count} 处" if target.count > 5 else ""
    return f"{shown}{more}"


def check_internal_links(site: Site) -> RuleOutcome:
    result = crawl(site)
    if result is None:
        return RuleOutcome(Status.UNKNOWN, "本站尚未生成静态页面，无法检查")
    measured = f"检查 {result.files} 个页面，站内断链 {len(result.broken)} 个（容忍 0 个）"
    findings = [
        FindingData(
            key=f"L1:{url}"[:255],
            message=f"站内链接不可用：{target.problem}",
            evidence=f"链接 {url}，出现在 {_pages(target)}",
            url=url,
            fix=FIX_INTERNAL,
        )
        for url, target in sorted(result.broken.items())
    ]
    return RuleOutcome(Status.FAIL if findings else Status.PASS, measured, findings)


def _is_broken(link: ExternalLink) -> bool:
    """Definitely broken for the public: an error answer, no such domain, an intranet address, or a
    connection that failed twice in a row (one timeout may be the other side's bad minute)."""
    if link.result in (LinkResult.HTTP_ERROR, LinkResult.DNS, LinkResult.NOT_PUBLIC):
        return True
    return link.result in (LinkResult.TIMEOUT, LinkResult.CONNECT) and link.failures >= FAILURES_FOR_FAIL


def _outbound_finding(link: ExternalLink) -> FindingData:
    shown = "、".join(link.pages[:5]) + (f" 等 {link.page_count} 处" if link.page_count > 5 else "")
    if link.result == LinkResult.DOMAIN_CHANGED:
        message = f"外部链接跳转到其他域名 {link.detail}（域名可能已过期或易主）"
    else:
        message = f"外部链接不可用：{link.get_result_display()}"
        if link.result == LinkResult.HTTP_ERROR and link.status in (401, 403, 429):
            message += "（对方可能拒绝自动检测，请人工确认）"
    checked = timezone.localtime(link.last_checked) if link.last_checked else None
    evidence = (
        f"链接 {link.url}"
        + (f" → {link.final_url}" if link.final_url and link.final_url != link.url else "")
        + (f"，HTTP {link.status}" if link.status else "")
        + (f"，{link.detail}" if link.detail and link.result != LinkResult.DOMAIN_CHANGED else "")
        + (f"，检测于 {checked:%Y-%m-%d %H:%M}" if checked else "")
        + (f"，连续 {link.failures} 次" if link.failures > 1 else "")
        + (f"；出现在 {shown}" if shown else "")
    )
    return FindingData(
        key=f"L2:{link.url}"[:255],
        message=message,
        evidence=evidence,
        url=link.url,
        fix=FIX_OUTBOUND.get(LinkResult(link.result), FIX_OUTBOUND_DEFAULT),
    )


def check_outbound_links(site: Site) -> RuleOutcome:
    links = list(ExternalLink.objects.filter(site=site).order_by("url"))
    if not LinkCrawl.objects.filter(site=site).exists() and not links:
        return RuleOutcome(Status.UNKNOWN, "尚未巡检本站链接，无法判断")
    checked = [link for link in links if link.last_checked is not None]
    if links and not checked:
        return RuleOutcome(Status.UNKNOWN, f"发现外部链接 {len(links)} 个，尚未完成检测")
    problems = [link for link in checked if link.result != LinkResult.OK]
    broken = [link for link in problems if _is_broken(link)]
    measured = (
        f"外部链接 {len(links)} 个，已检测 {len(checked)} 个，不可用 {len(broken)} 个，"
        f"需人工确认 {len(problems) - len(broken)} 个"
    )
    findings = [_outbound_finding(link) for link in problems]
    status = Status.FAIL if broken else Status.WARN if problems else Status.PASS
    return RuleOutcome(status, measured, findings)


@dataclass(frozen=True)
class UrlCheck:
    """The answer of `check_urls` for one address: `ok` None while it cannot be told yet (an outbound
    address the background check has not reached)."""

    url: str
    ok: bool | None
    problem: str = ""  # in Chinese, for a finding
    internal: bool = False


def check_urls(site: Site, urls: Iterable[str], *, source: str, page_url: str = "") -> dict[str, UrlCheck]:
    """Whether each address a page of `site` links to works, for other rules (an 办事指南's 在线办理
    link and attachments): internal addresses are resolved against the published files at once,
    outbound ones are answered from the background check and registered for it when new.

    `source` names the asking check (e.g. "services"); `page_url` the page that holds the links.
    """
    host = site_host(site)
    hosts = {str(name).lower() for name in Site.objects.values_list("hostname", flat=True)}
    files: PublishedFiles | None = None
    answers: dict[str, UrlCheck] = {}
    external: list[str] = []
    base = f"{urlsplit(str(site.root_url)).scheme or 'http'}://{host}/"
    for url in dict.fromkeys(urls):
        parts = urlsplit(url if "://" in url else base.rstrip("/") + "/" + url.lstrip("/"))
        target_host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not target_host:
            answers[url] = UrlCheck(url, False, "地址格式错误")
        elif target_host in hosts:
            files = files or PublishedFiles()
            problem = files.problem(target_host, parts.path or "/")
            answers[url] = UrlCheck(url, problem is None, problem or "", internal=True)
        else:
            external.append(url)
    for url, state in outbound.link_states(site, external, source=source, page_url=page_url).items():
        ok = None if not state.checked else state.ok
        answers[url] = UrlCheck(url, ok, "" if ok is not False else f"{state.label} {state.detail}".strip())
    return answers


INTERNAL_LINKS = register(
    Rule(
        code="L1",
        title="站内链接不可用",
        kind=Kind.SCORED,
        source="国办秘函〔2019〕19号 扣分指标（链接可用性）",
        threshold="全站已发布页面中的站内链接、图片、样式、脚本不可用数为 0",
        check=check_internal_links,
        order=60,
    )
)
OUTBOUND_LINKS = register(
    Rule(
        code="L2",
        title="外部链接异常",
        kind=Kind.SCORED,
        source="国办秘函〔2019〕19号 扣分指标（链接可用性）；单项否决第 1 项（链接到有害内容）",
        threshold="外部链接无 4xx/5xx、超时、域名无法解析；域名跳转到其他网站须人工核实",
        check=check_outbound_links,
        order=61,
    )
)
