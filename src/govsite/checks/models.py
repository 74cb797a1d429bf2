"""What the pre-publication checks keep: per-site word and leader lists, each page's latest
findings, and reviewers' overrides (放行).

The models began in the workflow app; their tables keep the names they had there.
"""

from typing import Any

from django.conf import settings
from django.db import models
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, Site

from govsite.sites.models import admin_sites


class SiteScopedForm(WagtailAdminModelForm):
    """Site administrators choose among their own sites only; platform-wide rules are for admins."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and not user.is_superuser and "site" in self.fields:
            self.fields["site"].queryset = Site.objects.filter(pk__in=[s.pk for s in admin_sites(user)])
            self.fields["site"].required = True


class Severity(models.TextChoices):
    BLOCKING = "blocking", "阻止发布"
    WARNING = "warning", "提醒"


class WordCategory(models.TextChoices):
    """What a word rule is about: shown before each finding ("涉台港澳：…") and used to filter the list."""

    POLITICAL = "political", "政治性表述"
    LEADERS = "leaders", "领导人称谓与排序"
    CROSS_STRAIT = "cross_strait", "涉台港澳"
    MAP_FLAG = "map_flag", "地图国旗"
    TYPO = "typo", "常见错别字"
    VARIANT = "variant", "异形词"
    CIVILITY = "civility", "不文明用语"


class WordRule(models.Model):
    """A sensitive word (敏感词) or a common wrong expression (规范表述) with its correct form."""

    Category = WordCategory

    class Kind(models.TextChoices):
        SENSITIVE = "sensitive", "敏感词"
        WORDING = "wording", "规范表述"

    site = models.ForeignKey(
        Site,
        verbose_name="站点",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="word_rules",
        help_text="留空则适用于全平台所有网站。",
    )
    category = models.CharField(
        "分类", max_length=20, choices=WordCategory.choices, blank=True, help_text="留空为未分类。"
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.SENSITIVE)
    word = models.CharField("词语或错误表述", max_length=100)
    suggestion = models.CharField("建议或正确表述", max_length=200, blank=True)
    severity = models.CharField(
        "处理方式", max_length=10, choices=Severity.choices, default=Severity.BLOCKING
    )
    updated_at = models.DateTimeField(auto_now=True)

    base_form_class = SiteScopedForm
    panels = [
        FieldPanel("site"),
        FieldPanel("category"),
        FieldPanel("kind"),
        FieldPanel("word"),
        FieldPanel("suggestion"),
        FieldPanel("severity"),
    ]

    class Meta:
        db_table = "govsite_workflow_wordrule"  # kept from the workflow app, where the model began
        verbose_name = "错敏词"
        verbose_name_plural = "错敏词库"
        ordering = ["kind", "word"]
        constraints = [models.UniqueConstraint(fields=["site", "kind", "word"], name="unique_word_rule")]

    def __str__(self) -> str:
        return self.word

    @property
    def category_label(self) -> str:
        """The category's name as findings show it ("" when uncategorised)."""
        return str(WordCategory(self.category).label) if self.category else ""


class Leader(models.Model):
    """A leader of the site's department, checked with the title they hold (领导姓名职务库)."""

    site = models.ForeignKey(Site, verbose_name="站点", on_delete=models.CASCADE, related_name="leaders")
    name = models.CharField("姓名", max_length=20)
    title = models.CharField("职务", max_length=100, help_text="多个职务用顿号分隔，如：党组书记、厅长。")
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    base_form_class = SiteScopedForm
    panels = [FieldPanel("site"), FieldPanel("name"), FieldPanel("title"), FieldPanel("sort_order")]

    class Meta:
        db_table = "govsite_workflow_leader"  # kept from the workflow app, where the model began
        verbose_name = "领导"
        verbose_name_plural = "领导姓名职务"
        ordering = ["site", "sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.title} {self.name}"

    @property
    def titles(self) -> list[str]:
        parts = [p.strip() for p in self.title.replace("，", "、").replace(",", "、").split("、")]
        return [p for p in parts if p]


class PageCheck(models.Model):
    """The findings of the latest check of a page's latest revision (run on every save)."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="content_check")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    findings = models.JSONField(default=list)
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "govsite_workflow_pagecheck"  # kept from the workflow app, where the model began
        verbose_name = "发布前检查结果"
        verbose_name_plural = "发布前检查结果"

    def __str__(self) -> str:
        return f"{self.page_id}: {len(self.findings)}"


class ProofreadingReport(models.Model):
    """校对报告: the findings of a page as it was submitted for review, kept with that submission.

    `PageCheck` holds only the latest findings; a report is a copy taken when a workflow starts, so
    reviewers see what the checks said about the version they were asked to review.
    """

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="proofreading_reports")
    workflow_state = models.ForeignKey(
        "wagtailcore.WorkflowState",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proofreading_reports",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    findings = models.JSONField(default=list)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "校对报告"
        verbose_name_plural = "校对报告"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.page_id} {self.created_at:%Y-%m-%d %H:%M}"


class CheckOverride(models.Model):
    """A reviewer's recorded decision to publish despite a blocking finding (放行)."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="check_overrides")
    key = models.CharField(max_length=400)
    message = models.CharField("问题", max_length=400)
    reason = models.TextField("放行理由")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "govsite_workflow_checkoverride"  # kept from the workflow app, where the model began
        verbose_name = "检查问题放行记录"
        verbose_name_plural = "检查问题放行记录"
        constraints = [models.UniqueConstraint(fields=["page", "key"], name="unique_override")]
        permissions = [("override_checks", "可以在审核中放行阻止发布的检查问题")]

    def __str__(self) -> str:
        return self.message
