"""The site cluster (集约化): the organisation registry and each department site's settings."""

import re
from typing import cast

from django.db import models
from django.db.models import QuerySet
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import GroupSitePermission, Orderable, Site

from govsite.core.fields import StreamField
from govsite.core.fragments import cached_value
from govsite.core.types import RequestUser

from .blocks import FooterLinksBlock, TopLinksBlock
from .forms import SiteProfileForm
from .validators import (
    POLICE_RE,
    validate_icp_number,
    validate_police_number,
    validate_site_id_code,
)


class OrganisationGroup(Orderable):
    """A group in the 部门网站导航, e.g. 自治区政府组成部门."""

    name = models.CharField("分组名称", max_length=60, unique=True)

    panels = [FieldPanel("name")]

    class Meta:
        ordering = ["sort_order"]
        verbose_name = "部门分组"
        verbose_name_plural = "部门分组"

    def __str__(self) -> str:
        return self.name


class Organisation(Orderable):
    """A government body in the registry. It may run a site on this platform, or elsewhere."""

    group = models.ForeignKey(
        OrganisationGroup, verbose_name="分组", on_delete=models.PROTECT, related_name="organisations"
    )
    name = models.CharField("部门名称", max_length=60)
    site = models.OneToOneField(
        Site,
        verbose_name="本平台站点",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisation",
        help_text="该部门网站由本平台承载时选择对应站点。",
    )
    url = models.URLField(
        "外部网址", blank=True, help_text="网站不在本平台时填写其地址；都不填则导航中只显示名称。"
    )

    panels = [FieldPanel("group"), FieldPanel("name"), FieldPanel("site"), FieldPanel("url")]

    class Meta:
        ordering = ["group__sort_order", "sort_order"]
        verbose_name = "部门"
        verbose_name_plural = "部门网站导航"
        constraints = [models.UniqueConstraint(fields=["group", "name"], name="unique_org_in_group")]

    def __str__(self) -> str:
        return self.name

    @property
    def href(self) -> str:
        """Where the directory links to: the hosted site, else the known address, else nothing."""
        if self.site is not None:
            return str(self.site.root_url)
        return self.url


@register_setting(icon="site")
class SiteProfile(BaseSiteSetting):
    """Per-site identity and footer data required by 《政府网站网页设计规范》."""

    base_form_class = SiteProfileForm

    @classmethod
    def for_site(cls, site: Site) -> "SiteProfile":
        """Wagtail's lookup, once per site in a publishing run (every page shows the profile)."""
        profile: SiteProfile = cached_value(
            ("site_profile", site.pk), lambda: super(SiteProfile, cls).for_site(site)
        )
        return profile

    site_name = models.CharField("网站名称", max_length=100)
    organiser = models.CharField("主办单位", max_length=100)
    operator = models.CharField("承办单位", max_length=100, blank=True)
    site_id_code = models.CharField(
        "政府网站标识码", max_length=10, blank=True, validators=[validate_site_id_code]
    )
    icp_number = models.CharField("ICP备案号", max_length=40, blank=True, validators=[validate_icp_number])
    police_number = models.CharField(
        "公安机关备案号", max_length=40, blank=True, validators=[validate_police_number]
    )
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("电话", max_length=100, blank=True)
    fax = models.CharField("传真", max_length=100, blank=True)
    postcode = models.CharField("邮编", max_length=10, blank=True)
    wechat_name = models.CharField("微信公众号名称", max_length=60, blank=True)
    wechat_qr = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="微信公众号二维码",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    conac_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="党政机关网站标识图片",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="由机构编制部门核发的红色标识。平台不加载第三方脚本，请上传标识图片。",
    )
    conac_url = models.URLField("党政机关网站标识核验地址", blank=True)
    error_report_url = models.URLField(
        "“我为政府网站找错”地址", blank=True, help_text="留空则按网站标识码自动生成国办平台地址。"
    )
    statement_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="网站声明页面",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    parent_portal_name = models.CharField("上级门户名称", max_length=100, blank=True)
    parent_portal_url = models.URLField("上级门户网址", blank=True)
    top_links = StreamField(TopLinksBlock(), blank=True, verbose_name="页头链接")
    footer_links = StreamField(FooterLinksBlock(), blank=True, verbose_name="页脚链接分组")

    panels = [
        MultiFieldPanel(
            [FieldPanel("site_name"), FieldPanel("organiser"), FieldPanel("operator")], heading="网站身份"
        ),
        MultiFieldPanel(
            [
                FieldPanel("site_id_code"),
                FieldPanel("icp_number"),
                FieldPanel("police_number"),
                FieldPanel("conac_image"),
                FieldPanel("conac_url"),
                FieldPanel("error_report_url"),
            ],
            heading="标识与备案",
        ),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("postcode"), FieldPanel("phone"), FieldPanel("fax")],
            heading="联系方式",
        ),
        MultiFieldPanel([FieldPanel("wechat_name"), FieldPanel("wechat_qr")], heading="政务新媒体"),
        MultiFieldPanel(
            [FieldPanel("parent_portal_name"), FieldPanel("parent_portal_url"), FieldPanel("top_links")],
            heading="页头",
        ),
        FieldPanel("statement_page"),
        FieldPanel("footer_links"),
    ]

    class Meta:
        verbose_name = "网站设置"
        verbose_name_plural = "网站设置"

    def __str__(self) -> str:
        return self.site_name or str(self.site)

    @property
    def icp_url(self) -> str:
        return "https://beian.miit.gov.cn/"

    @cached_property
    def police_record_code(self) -> str:
        match = re.match(POLICE_RE, self.police_number)
        return match["code"] if match else ""

    @property
    def police_url(self) -> str:
        code = self.police_record_code
        return f"https://www.beian.gov.cn/portal/registerSystemInfo?recordcode={code}" if code else ""

    @property
    def error_report_href(self) -> str:
        if self.error_report_url:
            return self.error_report_url
        if self.site_id_code:
            return f"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={self.site_id_code}"
        return ""


class SiteSequence(models.Model):
    """The last number handed out by one per-site, per-year sequence (受理编号, 索引号 …).

    One row per (site, name, year), advanced only by `govsite.sites.sequences.next_value`, which locks
    the row until its transaction ends: concurrent callers never get the same number.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    name = models.CharField("序列", max_length=40)
    year = models.PositiveIntegerField("年份")
    value = models.PositiveIntegerField("当前值", default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"
        constraints = [
            models.UniqueConstraint(fields=["site", "name", "year"], name="one_sequence_per_site_name_year")
        ]

    def __str__(self) -> str:
        return f"{self.site_id}/{self.name}/{self.year}: {self.value}"


def admin_sites(user: RequestUser) -> list[Site]:
    """Sites whose settings this user administers (all of them for platform administrators)."""
    if user.is_superuser:
        return list(Site.objects.order_by("hostname"))
    site_ids = GroupSitePermission.objects.filter(
        group__user=user, permission__codename="change_siteprofile"
    ).values_list("site_id", flat=True)
    return list(Site.objects.filter(pk__in=site_ids).order_by("hostname"))


def sites_granted(user: RequestUser, codename: str) -> QuerySet[Site]:
    """Sites on which `user` holds the site permission `codename` (all sites for platform administrators).

    Case handling (依申请公开, 留言, 征集调查) is granted per site this way, so that a handler sees one
    department's cases only."""
    sites = cast("QuerySet[Site]", Site.objects.all())
    if not user.is_authenticated or not user.is_active:
        return sites.none()
    if user.is_superuser:
        return sites
    granted = GroupSitePermission.objects.filter(group__user=user, permission__codename=codename)
    return sites.filter(pk__in=granted.values("site_id"))
