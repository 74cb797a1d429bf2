"""征集 (solicitation), 调查 (survey) and 在线访谈 (online interview): pages and what the public sends.

The pages are Wagtail pages (InfoPage subclasses, so a column lists them like its other information
pages): editors write them under 三审 and the static publisher publishes them. What the public sends
(opinions, survey responses, interview questions) are rows here, never pages: they are not published,
indexed or listed in feeds; names and contacts are personal data, masked in every list (core.personal)
and every view of them in full is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, Site

from govsite.content.models import InfoPage
from govsite.core.personal import mask_name

from .blocks import GuestBlock, MediaBlock, QuestionsBlock, TranscriptBlock

PERMISSION = "handle_participation"


class PeriodState(models.TextChoices):
    UPCOMING = "upcoming", "未开始"
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class Period(models.Model):
    """A 征集 or 调查 is open from `start_at` to `end_at`; the public form opens and closes with it."""

    start_at = models.DateTimeField("开始时间")
    end_at = models.DateTimeField("截止时间")

    period_panels = [FieldRowPanel([FieldPanel("start_at"), FieldPanel("end_at")], heading="征集时间")]

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.start_at and self.end_at and self.end_at <= self.start_at:
            raise ValidationError({"end_at": "截止时间应晚于开始时间。"})

    def state(self, now: dt.datetime | None = None) -> PeriodState:
        now = now or timezone.now()
        if now < self.start_at:
            return PeriodState.UPCOMING
        if now >= self.end_at:
            return PeriodState.CLOSED
        return PeriodState.OPEN

    @property
    def state_label(self) -> str:
        return str(self.state().label)

    @property
    def is_open(self) -> bool:
        return self.state() == PeriodState.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state() == PeriodState.CLOSED


# The django-stubs plugin cannot type the manager of a Wagtail page (untyped) mixed with a typed model.
class SolicitationPage(InfoPage, Period):  # type: ignore[django-manager-missing]  # noqa: DJ008
    """意见征集: a draft put to the public for a period; afterwards the 采纳情况 (what was adopted, why)."""

    adoption_on = models.DateField("采纳情况发布日期", null=True, blank=True)
    adoption_received = models.PositiveIntegerField("收到意见（条）", null=True, blank=True)
    adoption_adopted = models.PositiveIntegerField("采纳意见（条）", null=True, blank=True)
    adoption_text = RichTextField(
        "采纳情况说明",
        blank=True,
        features=["bold", "ol", "ul", "link"],
        help_text="征集结束后填写：意见的主要内容、采纳情况及未采纳的理由。填写后随页面发布。",
    )

    content_panels = [
        *Page.content_panels,
        *Period.period_panels,
        FieldPanel("body", heading="征集说明"),
        InlinePanel("drafts", label="征求意见稿", heading="征求意见稿（附件）"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("adoption_received"), FieldPanel("adoption_adopted")]),
                FieldPanel("adoption_on"),
                FieldPanel("adoption_text"),
            ],
            heading="采纳情况（征集结束后填写并发布）",
        ),
    ]
    parent_page_types = ["govsite_content.ColumnPage"]
    subpage_types: list[str] = []
    template = "participation/solicitation_page.html"

    class Meta:
        verbose_name = "意见征集"

    @property
    def form_path(self) -> str:
        return f"/gzcy/zj/{self.pk}/"

    @property
    def has_adoption(self) -> bool:
        return bool(self.adoption_text.strip())

    def clean(self) -> None:
        super().clean()
        if self.has_adoption and self.end_at and self.end_at > timezone.now():
            raise ValidationError({"adoption_text": "征集尚未结束，结束后再发布采纳情况。"})


class SolicitationDraft(Orderable):
    """A document put to the public (征求意见稿, 起草说明)."""

    page = ParentalKey(SolicitationPage, on_delete=models.CASCADE, related_name="drafts")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="文件", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("显示名称", max_length=200, blank=True, help_text="留空则使用文件标题。")

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "征求意见稿"
        verbose_name_plural = "征求意见稿"

    @property
    def display_title(self) -> str:
        return self.title or str(self.document.title)


class SurveyPage(InfoPage, Period):  # type: ignore[django-manager-missing]  # noqa: DJ008
    """网上调查: single/multiple-choice and free-text questions; the summary is published after the period."""

    questions = StreamField(QuestionsBlock(), verbose_name="调查题目")
    publish_results = models.BooleanField(
        "公布调查结果",
        default=False,
        help_text="调查结束后勾选并发布，页面显示各选项的票数和比例（文字回答不公开）。",
    )

    content_panels = [
        *Page.content_panels,
        *Period.period_panels,
        FieldPanel("body", heading="调查说明"),
        FieldPanel("questions"),
        FieldPanel("publish_results"),
    ]
    parent_page_types = ["govsite_content.ColumnPage"]
    subpage_types: list[str] = []
    template = "participation/survey_page.html"

    class Meta:
        verbose_name = "网上调查"

    @property
    def form_path(self) -> str:
        return f"/gzcy/dc/{self.pk}/"

    @property
    def shows_results(self) -> bool:
        return self.publish_results and self.is_closed

    def results(self) -> list[Any]:
        from .surveys import summarise

        return summarise(self, SurveyResponse.objects.filter(page=self))


class InterviewStatus(models.TextChoices):
    ANNOUNCED = "announced", "预告"
    LIVE = "live", "直播中"
    ENDED = "ended", "已结束"


class InterviewPage(InfoPage):
    """在线访谈: guests, time, the transcript and media; questions collected from the public beforehand."""

    scheduled_at = models.DateTimeField("访谈时间")
    status = models.CharField(
        "状态", max_length=10, choices=InterviewStatus.choices, default=InterviewStatus.ANNOUNCED
    )
    guests = StreamField([("guest", GuestBlock())], verbose_name="访谈嘉宾", blank=True)
    transcript = StreamField(TranscriptBlock(), verbose_name="文字实录", blank=True)
    media = StreamField(MediaBlock(), verbose_name="图片和视频", blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("scheduled_at"), FieldPanel("status")]),
        FieldPanel("guests"),
        FieldPanel("body", heading="访谈简介"),
        FieldPanel("transcript"),
        FieldPanel("media"),
    ]
    parent_page_types = ["govsite_content.ColumnPage"]
    subpage_types: list[str] = []
    template = "participation/interview_page.html"

    class Meta:
        verbose_name = "在线访谈"

    @property
    def form_path(self) -> str:
        return f"/gzcy/ft/{self.pk}/"

    @property
    def collects_questions(self) -> bool:
        """Questions are collected while the interview is announced (预告)."""
        return self.status == InterviewStatus.ANNOUNCED

    def shown_questions(self) -> models.QuerySet[InterviewQuestion]:
        questions: models.QuerySet[InterviewQuestion] = self.questions.filter(status=Moderation.APPROVED)
        return questions.order_by("created_at")


class Adoption(models.TextChoices):
    PENDING = "pending", "待处理"
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未采纳"


class Moderation(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过（公开显示）"
    REJECTED = "rejected", "不予显示"


class Submission(models.Model):
    """What every public submission has: its site (for department isolation) and when it came."""

    site = models.ForeignKey(Site, verbose_name="网站", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    hidden = models.BooleanField("垃圾信息（隐藏）", default=False)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        """The audit log's label: never the sender's name or text."""
        return f"{self._meta.verbose_name} {self.pk}"


class Opinion(Submission):
    """One opinion sent to a 征集; name and contact are optional and never public."""

    page = models.ForeignKey(SolicitationPage, on_delete=models.CASCADE, related_name="opinions")
    name = models.CharField("姓名", max_length=50, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    content = models.TextField("意见内容")
    adoption = models.CharField("采纳情况", max_length=12, choices=Adoption.choices, default=Adoption.PENDING)
    note = models.TextField("处理说明", blank=True, help_text="采纳或未采纳的理由（内部记录）。")

    class Meta(Submission.Meta):
        verbose_name = "征集意见"
        verbose_name_plural = "征集意见"
        permissions = [(PERMISSION, "处理征集调查和在线访谈")]


class SurveyResponse(Submission):
    """One filled-in questionnaire: {question block id: option index | [indexes] | text}."""

    page = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="responses")
    answers = models.JSONField("答卷", default=dict)

    class Meta(Submission.Meta):
        verbose_name = "调查答卷"
        verbose_name_plural = "调查答卷"


class InterviewQuestion(Submission):
    """A question sent before an interview; shown publicly only once a handler approved it."""

    page = models.ForeignKey(InterviewPage, on_delete=models.CASCADE, related_name="questions")
    name = models.CharField("姓名或网名", max_length=50, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    content = models.TextField("问题")
    status = models.CharField("审核", max_length=10, choices=Moderation.choices, default=Moderation.PENDING)

    class Meta(Submission.Meta):
        verbose_name = "访谈提问"
        verbose_name_plural = "访谈提问"

    @property
    def public_name(self) -> str:
        """What the page shows as the asker: the masked name, or 网友."""
        return mask_name(self.name) or "网友"
