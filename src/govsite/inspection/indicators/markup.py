"""Markup and identity (《政府网站网页设计规范》 §3.1 and §3.2 of the requirements): the required
`<meta>` tags, the footer identity, the 长辈版, and the deployment's HTTPS and IPv6.

The pages are rendered the way the static publisher renders them (an in-process request with the
site's Host), so the check reads what the public gets. Templates are shared by page type, so a sample
is enough: the home page, one column, one article (the newest) and the 长辈版 home page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.test import Client
from lxml import html as lxml_html
from wagtail.models import Page, Site

from govsite.content.models import ColumnPage, ColumnType, listed_articles
from govsite.content.visibility import listed
from govsite.core.views import PUBLISHER_ENVIRON_KEY
from govsite.sites.validators import SITE_ID_CODE_RE

from ..rules import FindingData, Kind, Rule, RuleOutcome, Status, register, run_memo

SITE_TAGS = ("SiteName", "SiteDomain", "SiteIDCode")
COLUMN_TAGS = ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType")
ARTICLE_TAGS = ("ArticleTitle", "PubDate", "ContentSource")
PUB_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
COLUMN_TYPES = {"首页", *ColumnType.values}
ELDER_PREFIX = "/elder"

ID_CODE_RE = re.compile(r"标识码[:：]?\s*(bm\d{8}|\d{10})")
ICP_RE = re.compile(r"ICP备\d+号(-\d+)?")
POLICE_RE = re.compile(r"公网安备\s*\d{14}号")
ERROR_REPORT_HOSTS = ("zfwzgl.www.gov.cn", "zfwzzc.www.gov.cn")


@dataclass
class Rendered:
    kind: str  # 首页 | 栏目页 | 文章页 | 长辈版首页
    path: str
    page: Page | None
    status: int
    tree: lxml_html.HtmlElement | None

    def meta(self, name: str) -> str | None:
        if self.tree is None:
            return None
        values = self.tree.xpath("//meta[@name=$name]/@content", name=name)
        return str(values[0]).strip() if values else None


def page_path(page: Page) -> str | None:
    parts = page.get_url_parts()
    return parts[2] if parts else None


def render(site: Site, kind: str, path: str, page: Page | None) -> Rendered:
    """The page as the public gets it, rendered once per run (the home page serves three rules)."""
    memo = run_memo()
    key = ("rendered", site.pk, path)
    if key not in memo:
        memo[key] = render_now(site, kind, path, page)
    rendered: Rendered = memo[key]
    return rendered


def render_now(site: Site, kind: str, path: str, page: Page | None) -> Rendered:
    host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
    environ: dict[str, Any] = {"HTTP_HOST": host, PUBLISHER_ENVIRON_KEY: "1"}
    response = Client(raise_request_exception=False).get(path, **environ)  # a broken page: its 500
    tree = (
        lxml_html.fromstring(response.content) if response.status_code == 200 and response.content else None
    )
    return Rendered(kind, path, page, response.status_code, tree)


def sample_pages(site: Site) -> list[Rendered]:
    """The home page, the newest article's column and the newest article, rendered (memoised per run)."""
    home = site.root_page
    article = (
        listed_articles().descendant_of(home).filter(external_url="").order_by("-pub_date", "-pk").first()
    )
    column = article.column if article is not None else None
    if column is None:
        column = listed(ColumnPage.objects.descendant_of(home)).order_by("path").first()
    samples = [render(site, "首页", "/", home.specific)]
    for kind, page in (("栏目页", column), ("文章页", article)):
        path = page_path(page) if page is not None else None
        if page is not None and path:
            samples.append(render(site, kind, path, page))
    return samples


def finding(code: str, sample: Rendered, what: str, message: str, evidence: str, fix: str) -> FindingData:
    page = sample.page
    return FindingData(
        key=f"{code}|{sample.kind}|{what}",
        message=f"{sample.kind}{message}",
        evidence=f"{sample.path}：{evidence}",
        url=page.full_url or "" if page is not None else "",
        page_id=page.pk if page is not None else None,
        fix=fix,
    )


def meta_problems(sample: Rendered) -> list[FindingData]:
    if sample.tree is None:
        return [finding("M1", sample, "render", "无法打开", f"HTTP {sample.status}", "检查页面是否已发布。")]
    names = list(SITE_TAGS)
    names += ARTICLE_TAGS if sample.kind == "文章页" else COLUMN_TAGS
    problems = []
    fix = "在网站设置、栏目设置或文章中补全对应信息（网页设计规范的必选元数据）。"
    for name in names:
        value = sample.meta(name)
        if not value:
            problems.append(
                finding("M1", sample, name, f"缺少元数据 {name}", f'<meta name="{name}"> 缺失或为空', fix)
            )
        elif name == "PubDate" and not PUB_DATE_RE.match(value):
            problems.append(
                finding("M1", sample, name, "PubDate 格式不符", f"“{value}”，应为 YYYY-MM-DD HH:MM", fix)
            )
        elif name == "ColumnType" and value not in COLUMN_TYPES:
            problems.append(finding("M1", sample, name, "ColumnType 不在规范枚举中", f"“{value}”", fix))
        elif name == "SiteIDCode" and not re.match(SITE_ID_CODE_RE, value):
            problems.append(
                finding(
                    "M1",
                    sample,
                    name,
                    "网站标识码格式不符",
                    f"“{value}”，应为 10 位数字或 bm 加 8 位数字",
                    fix,
                )
            )
    return problems


def check_meta(site: Site) -> RuleOutcome:
    samples = sample_pages(site)
    problems = [problem for sample in samples for problem in meta_problems(sample)]
    measured = f"抽查 {len(samples)} 个页面，元数据问题 {len(problems)} 处"
    return RuleOutcome(Status.FAIL if problems else Status.PASS, measured, problems)


def footer_problems(home: Rendered) -> list[tuple[str, str, str]]:
    """(what, message, fix) for each footer element the rendered home page lacks."""
    if home.tree is None:
        return [("render", f"首页无法打开（HTTP {home.status}）", "检查首页是否已发布。")]
    footers = home.tree.xpath("//footer")
    footer = footers[-1] if footers else home.tree
    text = " ".join(footer.text_content().split())
    hrefs = [str(h) for h in footer.xpath(".//a/@href")]
    setting = "在“网站设置 › 标识与备案”中填写"
    problems = []
    if not ID_CODE_RE.search(text):
        problems.append(("id_code", "页脚缺少网站标识码", f"{setting}政府网站标识码。"))
    if not (ICP_RE.search(text) and any("beian.miit.gov.cn" in h for h in hrefs)):
        problems.append(
            ("icp", "页脚缺少 ICP 备案编号（链接至 beian.miit.gov.cn）", f"{setting} ICP 备案号。")
        )
    if not (POLICE_RE.search(text) and any("beian.gov.cn" in h and "recordcode=" in h for h in hrefs)):
        problems.append(("police", "页脚缺少公安机关备案标识", f"{setting}公安机关备案号。"))
    conac = footer.xpath(".//img[contains(@alt, '党政机关网站标识')] | .//*[@id='_ideConac']")
    if not conac:
        problems.append(("conac", "页脚缺少党政机关网站标识", f"{setting}并上传党政机关网站标识图片。"))
    report_links = footer.xpath(".//a[contains(normalize-space(.), '我为政府网站找错')]/@href")
    if not any(host in str(h) for h in report_links for host in ERROR_REPORT_HOSTS):
        problems.append(
            ("error_report", "页脚缺少“我为政府网站找错”链接", f"{setting}网站标识码或找错地址。")
        )
    if not re.search(r"主办单位[:：]\s*\S", text):
        problems.append(("organiser", "页脚缺少网站主办单位", "在“网站设置 › 网站身份”中填写主办单位。"))
    if not re.search(r"(电话|地址|邮箱|Email|E-mail)[:：]\s*\S", text, re.IGNORECASE):
        problems.append(("contact", "页脚缺少联系方式", "在“网站设置 › 联系方式”中填写地址或电话。"))
    return problems


def check_footer(site: Site) -> RuleOutcome:
    home = render(site, "首页", "/", site.root_page.specific)
    problems = footer_problems(home)
    findings = [
        FindingData(
            key=f"M2|{what}",
            message=message,
            evidence="首页页脚（网页设计规范：党政机关网站标识、找错、标识码、ICP、公安备案、主办单位、联系方式）",
            url=site.root_url + "/",
            page_id=site.root_page_id,
            fix=fix,
        )
        for what, message, fix in problems
    ]
    measured = f"页脚标识 7 项，缺 {len(findings)} 项" if home.tree is not None else "首页无法打开"
    return RuleOutcome(Status.FAIL if findings else Status.PASS, measured, findings)


def check_elder(site: Site) -> RuleOutcome:
    home = render(site, "首页", "/", site.root_page.specific)
    elder = render(site, "长辈版首页", ELDER_PREFIX + "/", site.root_page.specific)
    linked = home.tree is not None and bool(home.tree.xpath(f"//a[starts-with(@href, '{ELDER_PREFIX}/')]"))
    if linked and elder.tree is not None:
        return RuleOutcome(Status.PASS, "首页有长辈版入口，长辈版首页可访问")
    evidence = f"首页{'有' if linked else '无'}长辈版入口；{ELDER_PREFIX}/ 返回 HTTP {elder.status}"
    item = FindingData(
        key="M3|elder",
        message="长辈版（适老化）不可用",
        evidence=evidence,
        url=site.root_url + ELDER_PREFIX + "/",
        page_id=site.root_page_id,
        fix="检查首页页头的“长辈版”入口与长辈版页面的发布。",
    )
    return RuleOutcome(Status.FAIL, "长辈版不可用", [item])


def check_https(site: Site) -> RuleOutcome:
    """Known only when this deployment declares it (GOVSITE_HTTPS sets the redirect and HSTS)."""
    if getattr(settings, "SECURE_SSL_REDIRECT", False) and getattr(settings, "SECURE_HSTS_SECONDS", 0):
        return RuleOutcome(Status.PASS, f"HTTPS 跳转已启用，HSTS {settings.SECURE_HSTS_SECONDS} 秒")
    return RuleOutcome(Status.UNKNOWN, "部署未声明 HTTPS（GOVSITE_HTTPS 未开启；TLS 可能由前端代理提供）")


def check_ipv6(site: Site) -> RuleOutcome:
    """Known only when the operator declares it (GOVSITE_IPV6 in the settings)."""
    declared = getattr(settings, "GOVSITE_IPV6", None)
    if declared is None:
        return RuleOutcome(Status.UNKNOWN, "部署未声明 IPv6 支持（GOVSITE_IPV6 未设置）")
    if declared:
        return RuleOutcome(Status.PASS, "部署已声明支持 IPv6")
    item = FindingData(
        key="M5|ipv6",
        message="网站未支持 IPv6 访问",
        evidence="部署声明 GOVSITE_IPV6=0",
        fix="在 nginx 中监听 IPv6（govsite nginx_config 默认监听 [::]），并为域名添加 AAAA 记录。",
    )
    return RuleOutcome(Status.FAIL, "部署声明不支持 IPv6", [item])


register(
    Rule(
        code="M1",
        title="页面元数据",
        kind=Kind.SCORED,
        source="《政府网站网页设计规范》（国办发〔2017〕47号附件）网页元数据",
        threshold="首页、栏目页、文章页的必选 <meta> 齐全；PubDate 为 YYYY-MM-DD HH:MM；ColumnType 在枚举内",
        check=check_meta,
        order=210,
        points=5,
    )
)
register(
    Rule(
        code="M2",
        title="网站标识与页脚",
        kind=Kind.SCORED,
        source="《政府网站网页设计规范》页脚；国办秘函〔2019〕19号 扣分指标（功能设计）",
        threshold=(
            "页脚含党政机关网站标识、我为政府网站找错、网站标识码、ICP 备案、公安备案、主办单位、联系方式"
        ),
        check=check_footer,
        order=220,
        points=5,
    )
)
register(
    Rule(
        code="M3",
        title="长辈版（适老化）",
        kind=Kind.ADVICE,
        source="《互联网网站适老化通用设计规范》；工信部适老化改造专项行动",
        threshold="首页有长辈版入口，长辈版首页可访问",
        check=check_elder,
        order=230,
    )
)
register(
    Rule(
        code="M4",
        title="HTTPS",
        kind=Kind.ADVICE,
        source="《政府网站集约化试点工作方案》安全要求；requirements §6",
        threshold="全站 HTTPS 并启用 HSTS（部署未声明时为“未知”）",
        check=check_https,
        order=240,
    )
)
register(
    Rule(
        code="M5",
        title="IPv6",
        kind=Kind.ADVICE,
        source="《推进互联网协议第六版（IPv6）规模部署行动计划》；requirements §6",
        threshold="网站支持 IPv6 访问（部署未声明时为“未知”）",
        check=check_ipv6,
        order=250,
    )
)
