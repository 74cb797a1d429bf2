"""Build the demo platform: the seed's S&T department site and a second department site.

Every step is idempotent: what exists (by hostname, slug, name) is left exactly as it is, so a
second run changes nothing and never overwrites what an editor has changed.
"""

import hashlib
import io
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from typing import Any, TypeVar

import segno
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from govsite.annualreport.demo import build_demo_cases_of_year, build_demo_report
from govsite.checks.starter import load_starter_words
from govsite.citizens.demo import build_demo_account, build_demo_error_reports
from govsite.content.models import (
    ArticleAttachment,
    ArticlePage,
    ColumnPage,
    ColumnType,
    DocumentValidity,
    InfoPage,
    LinkPage,
)
from govsite.core.bulk import bulk_build
from govsite.disclosure.demo import build_demo_cases, link_demo_case
from govsite.interaction.demo import build_demo_messages
from govsite.interaction.models import MessageBoardPage
from govsite.opengov.models import CatalogueEntry, CatalogueIndexPage, Genre, OpenGovSettings, SubjectCategory
from govsite.opengov.provisioning import open_government_column
from govsite.participation.demo import build_demo_participation
from govsite.publishing.publisher import suspended
from govsite.services.demo import build_demo_services
from govsite.sites.models import Organisation, OrganisationGroup, SiteProfile
from govsite.sites.provisioning import Department, create_department_site
from govsite.workflow.demo import build_demo_workflow

from .data import sample_text as text
from .data.cluster import KJT_FOOTER_LINKS, ORGANISATION_GROUPS
from .data.open_government import KJT_CREDIT_CODE, POLICIES
from .twofactor import DEMO_TOTP_SECRET, give_demo_devices

# The S&T department's contacts: in its site profile and its 政府信息公开指南.
KJT_ADDRESS, KJT_PHONE, KJT_FAX = "内蒙古呼和浩特市赛罕区丰州南路78号", "0471-6328766/6328706", "0471-6923617"

DEMO_PASSWORD = os.environ.get("GOVSITE_DEMO_PASSWORD", "Govsite-Demo-2026")
# The platform administrator (a superuser): not `admin`, a name 等保 E5 refuses (docs/accounts.md).
PLATFORM_ADMIN = "platform-admin"
SEED_ARTICLE_TITLE = "当好“试验田”,走出新路子——张江示范区十年发展探索之路"


@dataclass
class BuildReport:
    created: list[str] = field(default_factory=list)
    seed_article_url: str = ""

    def add(self, what: str) -> None:
        self.created.append(what)


def parse_local(value: str) -> datetime:
    return timezone.make_aware(datetime.strptime(value, "%Y-%m-%d %H:%M"))


def paragraphs_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def sample_body(title: str) -> str:
    return paragraphs_html([f"{title}。", *text.SAMPLE_PARAGRAPHS, text.SAMPLE_NOTE])


def seed_article_body() -> str:
    raw = resources.files("govsite.demo.data").joinpath("seed_article.txt").read_text(encoding="utf-8")
    return paragraphs_html([line for line in raw.splitlines() if line.strip()])


# A page type: what `DemoBuilder.child` returns is of the type it was asked for.
P = TypeVar("P", bound=Page)


class DemoBuilder:
    def __init__(self, port: int, report: BuildReport) -> None:
        self.port = port
        self.report = report
        self.new_sites: set[int] = set()
        self.placed: set[int] = set()  # provisioned pages the demo has put in its own order

    # --- generic, idempotent helpers --------------------------------------------------------
    def child(self, parent: Page, model: type[P], slug: str, **fields: Any) -> P:
        existing = parent.get_children().filter(slug=slug).first()
        if existing:
            if self.site_is_new(parent) and existing.pk not in self.placed:
                # Made by the site's provisioning (the 政务公开 tree, docs/open-government.md):
                # it takes the place the demo gives it among its siblings.
                existing.move(parent, pos="last-child")
                self.placed.add(existing.pk)
                existing = Page.objects.get(pk=existing.pk)
            specific: P = existing.specific
            return specific
        page: P = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.report.add(f"{model._meta.verbose_name}：{page.title}")
        return page

    def site_is_new(self, page: Page) -> bool:
        """Whether `page` is on a site this run created."""
        site = page.get_site()
        return site is not None and site.pk in self.new_sites

    def column(self, parent: Page, slug: str, title: str, column_type: str, **fields: Any) -> ColumnPage:
        fields.setdefault("description", f"{title}栏目，发布{title}相关信息。")
        fields.setdefault("keywords", title)
        fields.setdefault("show_in_menus", True)
        return self.child(parent, ColumnPage, slug, title=title, column_type=column_type, **fields)

    def article(
        self, column: Page, slug: str, title: str, pub: str, source: str, **fields: Any
    ) -> ArticlePage:
        fields.setdefault("body", sample_body(title))
        return self.child(
            column, ArticlePage, slug, title=title, pub_date=parse_local(pub), source=source, **fields
        )

    def articles(self, column: Page, titles: list[str], source: str, start: str, step_days: int = 3) -> None:
        first = parse_local(start)
        for n, title in enumerate(titles):
            pub = timezone.localtime(first - timedelta(days=n * step_days))
            self.article(column, f"{column.slug}-{n + 1}", title, f"{pub:%Y-%m-%d %H:%M}", source)

    def info(self, parent: Page, slug: str, title: str, body: str, **fields: Any) -> InfoPage:
        return self.child(parent, InfoPage, slug, title=title, body=body, **fields)

    def image(self, title: str, png: bytes, collection: Collection) -> Any:
        image_model = get_image_model()
        existing = image_model.objects.filter(title=title, collection=collection).first()
        if existing:
            return existing
        name = f"demo-{hashlib.md5(title.encode(), usedforsecurity=False).hexdigest()[:10]}.png"
        image = image_model(title=title, collection=collection, file=ImageFile(io.BytesIO(png), name=name))
        image.save()
        return image

    def department(
        self,
        hostname: str,
        home_title: str,
        short_name: str,
        default: bool,
        profile: dict[str, str] | None = None,
    ) -> Department:
        """The department site at `hostname`, made (or completed) as `govsite add_site` makes one;
        `profile` is what its provisioning already fills in (the 政府信息公开指南's contacts)."""
        department = create_department_site(
            hostname,
            home_title,
            short_name,
            self.port,
            default=default,
            organisation=short_name,
            profile=profile,
        )
        if department.created:
            self.new_sites.add(department.site.pk)
            self.report.add(f"站点：{home_title}（{department.site.root_url}）")
        return department

    def profile(self, site: Site, **fields: Any) -> SiteProfile:
        profile: SiteProfile = SiteProfile.for_site(site)
        if site.pk in self.new_sites:  # only fill the profile of a site made by this run
            for name, value in fields.items():
                setattr(profile, name, value)
            profile.full_clean()
            profile.save()
        return profile

    def user(self, username: str, groups: list[Any], superuser: bool = False) -> None:
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            return
        if superuser:
            user = user_model.objects.create_superuser(username, f"{username}@example.gov.cn", DEMO_PASSWORD)
        else:
            user = user_model.objects.create_user(username, f"{username}@example.gov.cn", DEMO_PASSWORD)
            user.groups.set(groups)
        self.report.add(f"用户：{username}")

    # --- the platform ------------------------------------------------------------------------
    def remove_wagtail_welcome_site(self) -> None:
        """Wagtail's first migration makes a placeholder site and page; the demo replaces them."""
        for site in Site.objects.filter(hostname="localhost", root_page__content_type__model="page"):
            welcome = site.root_page
            site.delete()
            if welcome.get_children_count() == 0:
                welcome.delete()

    def registry(self) -> None:
        for group_order, (group_name, members) in enumerate(ORGANISATION_GROUPS):
            group, created = OrganisationGroup.objects.get_or_create(
                name=group_name, defaults={"sort_order": group_order}
            )
            if created:
                self.report.add(f"部门分组：{group_name}")
            for order, (name, url) in enumerate(members):
                Organisation.objects.get_or_create(
                    group=group, name=name, defaults={"url": url, "sort_order": order}
                )

    def build_kjt(self) -> Site:
        contacts = {"address": KJT_ADDRESS, "phone": KJT_PHONE, "fax": KJT_FAX}
        department = self.department(
            "kjt.localhost", "内蒙古自治区科学技术厅", "科学技术厅", default=True, profile=contacts
        )
        site = department.site
        home = site.root_page.specific
        if site.pk in self.new_sites:  # before its 政务公开 items are published: their 索引号 use it
            OpenGovSettings.objects.update_or_create(site=site, defaults={"credit_code": KJT_CREDIT_CODE})

        statement = self.info(
            home,
            "wzsm",
            "网站声明",
            paragraphs_html(
                [
                    "内蒙古自治区科学技术厅网站是自治区科学技术厅在互联网上发布政务信息、提供在线服务、"
                    "与公众互动交流的官方网站。",
                    "本网站发布的信息，除注明来源外，版权归内蒙古自治区科学技术厅所有。转载请注明出处。",
                    text.SAMPLE_NOTE,
                ]
            ),
            show_in_menus=False,
        )

        zzjg = self.column(home, "zzjg", "组织机构", "机构职能")
        self.info(
            zzjg,
            "jgzn",
            "机构职能",
            sample_body("内蒙古自治区科学技术厅贯彻落实党中央关于科技创新工作的方针政策"),
        )
        self.info(zzjg, "ldxx", "领导信息", sample_body("领导信息（姓名、照片、简历、分管工作）按规定公开"))
        self.info(
            zzjg, "nsjg", "内设机构", sample_body("厅机关设办公室、政策法规处、资源配置与管理处等内设机构")
        )

        kjdt = self.column(home, "kjdt", "科技动态", "工作动态", show_on_home=True)
        gzdt = self.column(kjdt, "gzdt", "工作动态", "工作动态", show_on_home=True, per_page=8)
        self.articles(gzdt, text.NEWS_TITLES, "内蒙古自治区科学技术厅", "2021-06-28 10:00", step_days=4)
        mtjj = self.column(kjdt, "mtjj", "媒体聚焦", "工作动态")
        seed = self.article(
            mtjj, "zjsfq-snfz", SEED_ARTICLE_TITLE, "2021-03-31 00:00", "科技日报", body=seed_article_body()
        )
        for key, slug in (("previous", "zxqy-pgbg"), ("next", "dwq-kjjr")):
            title, pub, source = text.MEDIA_FOCUS_NEIGHBOURS[key]
            self.article(mtjj, slug, title, pub, source)
        for n, (title, pub, source) in enumerate(text.OTHER_MEDIA_TITLES):
            self.article(mtjj, f"mtjj-{n + 1}", title, pub, source)
        msdt = self.column(kjdt, "msdt", "盟市动态", "工作动态")
        self.articles(msdt, text.LOCAL_NEWS_TITLES, "盟市科技局", "2021-06-20 09:00")

        zwgk = self.column(home, "zwgk", "政务公开", "信息公开目录", show_on_home=True)
        tzgg = self.column(zwgk, "tzgg", "通知公告", "通知公告", show_on_home=True)
        self.articles(tzgg, text.NOTICE_TITLES, "内蒙古自治区科学技术厅", "2021-06-25 15:00", step_days=7)
        self.attach_sample_document(tzgg.get_children().first(), department.collection)
        zcwj = self.column(zwgk, "zcwj", "政策文件", "政策文件")
        self.articles(zcwj, text.POLICY_TITLES, "内蒙古自治区科学技术厅", "2021-05-18 10:00", step_days=30)
        zcjd = self.column(zwgk, "zcjd", "政策解读", "政策解读")
        self.articles(zcjd, text.INTERPRETATION_TITLES, "内蒙古自治区科学技术厅", "2021-05-19 10:00")
        self.open_government(zwgk, zcwj, zcjd)
        # 政府信息公开指南 and 制度: made from templates by the site's provisioning (opengov).

        zwfw = self.column(home, "zwfw", "政务服务", "办事服务")
        bszn = self.column(zwfw, "bszn", "办事指南", "办事服务")
        for title in build_demo_services(bszn, department.collection):
            self.report.add(f"办事指南：{title}")
        self.child(
            zwfw,
            LinkPage,
            "zwfww",
            title="内蒙古政务服务网",
            link_url="https://zwfw.nmg.gov.cn/",
            show_in_menus=True,
        )

        hdjl = self.column(home, "hdjl", "互动交流", "咨询投诉")
        self.info(hdjl, "tzxx", "厅长信箱", sample_body("厅长信箱受理公众对科技工作的咨询、意见和建议"))
        self.child(
            hdjl,
            MessageBoardPage,
            "lyxd",
            title="留言选登",
            intro="公众留言经本人同意公开，答复经审核后在此发布；姓名已隐去，联系方式不公开。",
            show_in_menus=True,
        )
        zjdc = self.column(hdjl, "zjdc", "征集调查", "征集调查")
        self.articles(zjdc, text.SURVEY_TITLES, "内蒙古自治区科学技术厅", "2021-05-06 09:00")
        zxft = self.column(hdjl, "zxft", "在线访谈", "在线访谈")
        self.articles(zxft, text.INTERVIEW_TITLES, "内蒙古自治区科学技术厅", "2021-04-28 15:00")
        for title in build_demo_participation(site, zjdc, zxft, department.collection):
            self.report.add(f"征集调查：{title}")

        ztzl = self.column(home, "ztzl", "专题专栏", "专题专栏")
        for n, title in enumerate(text.TOPIC_TITLES):
            topic = self.column(ztzl, f"zt{n + 1}", title, "专题专栏")
            self.articles(topic, [f"{title}：工作综述"], "内蒙古自治区科学技术厅", "2021-05-30 10:00")

        self.lists_and_home(gzdt, tzgg, department.collection)

        qr = self.image(
            "科学技术厅微信公众号二维码（示例）", qr_png("https://kjt.nmg.gov.cn/"), department.collection
        )
        badge = self.image("党政机关网站标识（示例）", conac_badge_png(), department.collection)
        self.profile(
            site,
            site_name="内蒙古自治区科学技术厅",
            organiser="内蒙古自治区科学技术厅",
            operator="内蒙古自治区科学技术厅",
            site_id_code="1500000057",
            icp_number="蒙ICP备2021001220号-1",
            police_number="蒙公网安备15010502002335号",
            address=KJT_ADDRESS,
            phone=KJT_PHONE,
            fax=KJT_FAX,
            wechat_name="内蒙古科技厅",
            wechat_qr=qr,
            conac_image=badge,
            parent_portal_name="内蒙古自治区人民政府网站",
            parent_portal_url="https://www.nmg.gov.cn/",
            statement_page=statement,
            top_links=[("link", {"title": "暖心专区", "url": "https://www.nmg.gov.cn/"})],
            footer_links=[
                ("group", {"title": title, "url": url, "links": [{"title": t, "url": u} for t, u in links]})
                for title, url, links in KJT_FOOTER_LINKS
            ],
        )
        self.user("kjt-editor", [department.editors])
        self.user("kjt-siteadmin", [department.site_admins])  # 网站管理员: settings, 稿件统计, 依申请公开
        if created_cases := build_demo_cases(site):
            self.report.add(f"依申请公开示例 {created_cases} 件")
        self.public_side(site)
        # Last year's cases and the 年报 counted from them and the catalogue (docs/annual-report.md).
        last_year = timezone.localdate().year - 1
        if created_cases := build_demo_cases_of_year(site, last_year):
            self.report.add(f"{last_year} 年依申请公开示例 {created_cases} 件")
        if annual_report := build_demo_report(site, last_year):
            self.report.add(f"政府信息公开年报：{annual_report.title}")
        self.report.seed_article_url = seed.get_full_url()
        self.fill_open_government(site)
        return site

    def public_side(self, site: Site) -> None:
        """The demo public account with one 依申请公开 case; two 找错 reports (docs/public-accounts.md)."""
        account, created = build_demo_account()
        if created:
            self.report.add(f"公众账号 {account.login}")
        if link_demo_case(site, account):
            self.report.add("公众账号的依申请公开示例 1 件")
        if created_reports := build_demo_error_reports(site, account):
            self.report.add(f"网站找错示例 {created_reports} 条")

    def fill_open_government(self, site: Site) -> None:
        """One sample item in each 政务公开 column the site's provisioning made and the demo left
        empty (机构职能, 规划计划, …): a demo column is never empty. The 年报 column holds only reports:
        a site without one shows the dashboard's 31 January reminder (docs/annual-report.md)."""
        organiser = SiteProfile.for_site(site).organiser
        zwgk = open_government_column(site)
        columns = ColumnPage.objects.descendant_of(zwgk).live()
        for column in columns.exclude(column_type=ColumnType.DISCLOSURE_REPORT):
            if column.get_children().exists():
                continue
            title = f"{organiser}{column.title}（示例）"
            self.article(column, f"{column.slug}-1", title, "2025-01-06 09:00", organiser)

    def lists_and_home(self, gzdt: ColumnPage, tzgg: ColumnPage, collection: Collection) -> None:
        """The home page's 焦点图 (three 工作动态 with title images), a pinned notice (置顶) and a
        外链稿 in 通知公告 (docs/lists-and-home.md)."""
        for n, article in enumerate(ArticlePage.objects.child_of(gzdt).order_by("-pub_date")[:3]):
            if article.title_image_id:
                continue
            image = self.image(f"工作动态配图{n + 1}（示例）", focus_png(n), collection)
            if not image.description:
                image.description = f"示例配图：{article.title}"
                image.save(update_fields=["description"])
            article.title_image, article.in_focus = image, True
            article.save_revision().publish()
        oldest = ArticlePage.objects.child_of(tzgg).order_by("pub_date").first()
        if oldest is not None and not oldest.pinned:
            oldest.pinned, oldest.sort_weight = True, 10
            oldest.save_revision().publish()
        self.article(
            tzgg,
            "wl-zgzfw",
            "国务院办公厅关于加强科技成果转化工作的通知（转载）",
            "2021-06-26 09:00",
            "中国政府网",
            external_url="https://www.gov.cn/zhengce/",
            summary="转载自中国政府网，全文请访问来源网站。",
        )

    def open_government(self, zwgk: ColumnPage, zcwj: ColumnPage, zcjd: ColumnPage) -> None:
        """The 政务公开 catalogue (docs/open-government.md): a dozen 政策文件 with 文号, 成文日期 and
        主题分类, each with its 解读, three 废止 and pointing to what replaced them, and the 公开目录."""
        self.child(
            zwgk,
            CatalogueIndexPage,
            "gkml",
            title="公开目录",
            intro="本目录收录本厅主动公开的政府信息，可按主题分类、体裁分类、年份、发文机关和有效性浏览。",
            show_in_menus=True,
        )
        organ = "内蒙古自治区科学技术厅"
        policies: dict[str, ArticlePage] = {}
        for slug, title, number, written, pub, (top, sub), genre, _, kind in POLICIES:
            entry = CatalogueEntry(
                subject=SubjectCategory.objects.get(parent__name=top, name=sub),
                genre=Genre.objects.get(name=genre),
                issuing_organ=organ,
                written_date=datetime.strptime(written, "%Y-%m-%d").date(),
                document_number=number,
                subject_words=f"科技 {genre}",
            )
            policies[slug] = self.article(zcwj, slug, title, pub, organ, catalogue_entries=[entry])
            interpretation = CatalogueEntry(
                subject=entry.subject,
                genre=Genre.objects.get(name="解读"),
                issuing_organ=organ,
                interprets=policies[slug],
                interpretation_kind=kind,
            )
            reading = f"{pub[:10]} 14:00"
            self.article(
                zcjd, f"{slug}-jd", f"{kind}：《{title}》", reading, organ, catalogue_entries=[interpretation]
            )
        for slug, *_, replaced_by, _kind in POLICIES:
            if replaced_by:
                DocumentValidity.objects.get_or_create(
                    page=policies[slug],
                    defaults={
                        "status": DocumentValidity.Status.REPEALED,
                        "replaced_by": policies[replaced_by],
                    },
                )

    def build_jyt(self) -> Site:
        department = self.department("jyt.localhost", "内蒙古自治区教育厅", "教育厅", default=False)
        site = department.site
        home = site.root_page.specific
        statement = self.info(
            home, "wzsm", "网站声明", sample_body("本网站为演示用第二个部门网站"), show_in_menus=False
        )
        jydt = self.column(home, "jydt", "教育动态", "工作动态", show_on_home=True)
        self.articles(jydt, text.EDU_NEWS_TITLES, "内蒙古自治区教育厅", "2021-06-15 10:00")
        tzgg = self.column(home, "tzgg", "通知公告", "通知公告", show_on_home=True)
        self.articles(tzgg, ["关于做好年度教育统计工作的通知"], "内蒙古自治区教育厅", "2021-06-01 09:00")
        self.profile(
            site,
            site_name="内蒙古自治区教育厅",
            organiser="内蒙古自治区教育厅（示例）",
            site_id_code="1500000058",
            address="（示例地址）",
            phone="（示例电话）",
            parent_portal_name="内蒙古自治区人民政府网站",
            parent_portal_url="https://www.nmg.gov.cn/",
            statement_page=statement,
        )
        self.user("jyt-editor", [department.editors])
        self.user("jyt-siteadmin", [department.site_admins])  # 网站管理员: handles 留言 转办 to 教育厅
        # 教育厅 published the report of the year before last but not last year's: the dashboard's
        # 31 January reminder shows for it (docs/annual-report.md).
        if annual_report := build_demo_report(site, timezone.localdate().year - 2):
            self.report.add(f"政府信息公开年报：{annual_report.title}")
        self.fill_open_government(site)
        return site

    def attach_sample_document(self, page: Page | None, collection: Collection) -> None:
        if page is None:
            return
        article = page.specific
        if article.attachments.exists():
            return
        document_model = get_document_model()
        document = document_model(title="申报指南（示例附件）", collection=collection)
        document.file.save(
            "shenbao-zhinan.pdf", ContentFile(minimal_pdf("govsite sample attachment")), save=False
        )
        document.save()
        ArticleAttachment.objects.create(page=article, document=document, sort_order=0)
        article.save_revision().publish()


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


FOCUS_COLOURS = (("#0b4f9c", "#5aa0e6"), ("#1f7a4d", "#8fd1a8"), ("#a35200", "#f2b36d"))


def focus_png(n: int) -> bytes:
    """A stand-in photo for the 焦点图 (a gradient with hills), drawn here: the demo downloads nothing."""
    top, bottom = FOCUS_COLOURS[n % len(FOCUS_COLOURS)]
    image = PILImage.new("RGB", (720, 360), top)
    draw = ImageDraw.Draw(image)
    for y in range(360):  # vertical gradient
        t = y / 359
        mix = [round(int(top[i : i + 2], 16) * (1 - t) + int(bottom[i : i + 2], 16) * t) for i in (1, 3, 5)]
        draw.line([(0, y), (720, y)], fill=tuple(mix))
    draw.ellipse((-120, 220, 420, 560), fill="#2e5e2e")
    draw.ellipse((300, 250, 900, 620), fill="#3f7a3f")
    draw.ellipse((560 - n * 120, 50, 640 - n * 120, 130), fill="#fff6c8")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def conac_badge_png() -> bytes:
    """A stand-in for the red 党政机关网站标识 (the real one is issued per site)."""
    image = PILImage.new("RGB", (110, 134), "#c8161d")
    draw = ImageDraw.Draw(image)
    draw.rectangle((6, 6, 103, 127), outline="white", width=3)
    star = [(55, 22), (63, 46), (88, 46), (68, 61), (75, 86)]
    star += [(55, 71), (35, 86), (42, 61), (22, 46), (47, 46)]
    draw.polygon(star, fill="#ffd700")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def minimal_pdf(message: str) -> bytes:
    """A one-page PDF, written by hand so the demo needs no PDF library."""
    stream = f"BT /F1 18 Tf 72 720 Td ({message}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


@transaction.atomic
def build_demo(port: int = 8000) -> BuildReport:
    """Build (or complete) the demo platform. Publishing waits: run `govsite publish` after."""
    with suspended():
        return _build_demo(port)


def _build_demo(port: int) -> BuildReport:
    report = BuildReport()
    before = get_user_model().objects.aggregate(last=Max("pk"))["last"] or 0
    builder = DemoBuilder(port, report)
    builder.remove_wagtail_welcome_site()
    builder.registry()
    # Each page is saved, revised and published: its references indexed and its checks run once, at
    # the end, before the word library and the leaders (which the checks read) are added.
    with bulk_build():
        kjt = builder.build_kjt()
        jyt = builder.build_jyt()
    builder.user(PLATFORM_ADMIN, [], superuser=True)
    if created_messages := build_demo_messages(kjt, jyt):
        report.add(f"留言示例 {created_messages} 条")
    report.created += build_demo_workflow(DEMO_PASSWORD)
    added = load_starter_words()  # the platform-wide 错敏词库 (docs/word-library.md)
    if added:
        report.created.append(f"错敏词库：内置词条 {added} 条")
    # Only the accounts this run created get the demo's published second factor.
    if given := give_demo_devices(get_user_model().objects.filter(pk__gt=before)):
        report.add(f"演示身份验证器 {given} 个（密钥 {DEMO_TOTP_SECRET}，或运行 govsite otp-code 用户名）")
    return report
