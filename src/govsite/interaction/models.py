"""留言: a site's channels (领导信箱, 咨询, 建议, 投诉), the messages the public writes, their 转办 trail.

Personal information (name, phone, e-mail, attachments) lives here only (phone and e-mail encrypted at
rest, core/crypto.py). Messages are not pages: they are
never indexed for search, listed in feeds or sitemaps. What is published is the `MessageBoardPage`
(public.py), which shows a message only when the writer allowed it and its reply passed 审核, with the
name masked and phone numbers, ID numbers and e-mail addresses removed from the text.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, re_path
from wagtail.models import Page, Site

from govsite.content.models import ColumnType
from govsite.core import publicforms
from govsite.core.crypto import EncryptedTextField, LookupHashField
from govsite.core.models import BasePage
from govsite.core.personal import mask_name, redact_contacts
from govsite.core.publicforms import private_path
from govsite.sites.sequences import next_value

QUERY_CODE_SALT = "govsite.interaction.query-code"
CONSULT_WORKDAYS = 5
DEFAULT_WORKDAYS = 15
MAX_REPLY_WORKDAYS = 40  # well within the three months after which an unanswered message vetoes the site


class ChannelKind(models.TextChoices):
    LEADER = "leader", "领导信箱"
    CONSULT = "consult", "咨询"
    SUGGEST = "suggest", "建议"
    COMPLAINT = "complaint", "投诉"


def default_workdays(kind: str) -> int:
    """The reply period of a channel kind: 5 working days for 咨询, 15 for the others."""
    return CONSULT_WORKDAYS if kind == ChannelKind.CONSULT else DEFAULT_WORKDAYS


class Channel(models.Model):
    """One way to write to a site, with its own name (厅长信箱) and reply period in working days."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="message_channels")
    kind = models.CharField("类型", max_length=20, choices=ChannelKind.choices)
    name = models.CharField("名称", max_length=50, help_text="如“厅长信箱”“业务咨询”。")
    intro = models.TextField("说明", blank=True, help_text="显示在留言表单上方。")
    reply_workdays = models.PositiveSmallIntegerField(
        "答复期限（工作日）",
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REPLY_WORKDAYS)],
        help_text="咨询类通常为 5 个工作日，其他为 15 个工作日。",
    )
    enabled = models.BooleanField("启用", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "留言渠道"
        verbose_name_plural = "留言渠道"
        ordering = ["site", "sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["site", "kind"], name="interaction_channel_unique")]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    RECEIVED = "received", "待受理"
    ACCEPTED = "accepted", "办理中"
    REJECTED = "rejected", "不予受理"
    REVIEW = "review", "答复待审核"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"
    SPAM = "spam", "垃圾信息"


OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.REVIEW)
ANSWERED_STATUSES = (Status.REPLIED, Status.CLOSED)


class Alert(models.IntegerChoices):
    """How far the deadline reminders went for a message (each is sent once)."""

    NONE = 0, "无"
    REMINDED = 1, "到期提醒"
    ESCALATED = 2, "超期督办"
    VETO_WARNING = 3, "严重超期预警"


MESSAGE_NUMBER_SEQUENCE = "interaction.message_number"


def allocate_number(site: Site, year: int) -> str:
    """The next 留言编号 of `site` in `year`, e.g. LY-2026-000123 (call inside a transaction)."""
    return f"LY-{year}-{next_value(site, MESSAGE_NUMBER_SEQUENCE, year):06d}"


def hash_query_code(code: str) -> str:
    return publicforms.hash_query_code(code, QUERY_CODE_SALT)


def attachment_path(instance: Any, filename: str) -> str:
    return private_path("interaction", "attachments", filename)


class Message(models.Model):
    """One 留言 from receipt to 办结; `site` is the site handling it now (it changes on 转办)."""

    origin_site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="messages")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="messages")
    number = models.CharField("留言编号", max_length=32)
    query_code_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    received_on = models.DateField("收到日期")

    # What the person wrote (personal information: never public unmasked)
    subject = models.CharField("标题", max_length=100)
    content = models.TextField("内容")
    name = models.CharField("姓名", max_length=50)
    # Encrypted at rest (等保 E8, core/crypto.py); found by the keyed hash, never by value.
    phone = EncryptedTextField("联系电话", max_length=30)
    phone_hash = LookupHashField(source="phone")
    email = EncryptedTextField("电子邮箱", max_length=254, blank=True)
    publish_allowed = models.BooleanField("同意公开", default=False)
    # The public account the person was signed in with, if any (listed under 我的留言)
    account = models.ForeignKey(
        "govsite_citizens.PublicAccount",
        verbose_name="公众账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )

    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.RECEIVED)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    reject_reason = models.TextField("不予受理理由", blank=True)
    reply_office = models.CharField("答复部门", max_length=100, blank=True)
    reply_text = models.TextField("答复内容", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_on = models.DateField("办结日期", null=True, blank=True)
    alert = models.PositiveSmallIntegerField("提醒", choices=Alert.choices, default=Alert.NONE)
    rating = models.PositiveSmallIntegerField("满意度", null=True, blank=True)

    class Meta:
        verbose_name = "留言"
        verbose_name_plural = "留言"
        ordering = ["-received_on", "-pk"]
        permissions = [("handle_message", "办理留言")]
        constraints = [
            models.UniqueConstraint(fields=["origin_site", "number"], name="interaction_number_unique")
        ]
        indexes = [
            models.Index(fields=["site", "status"]),
            models.Index(fields=["origin_site", "replied_on"]),
        ]

    def __str__(self) -> str:
        # The audit log's label: the number only, never the writer's name.
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_public(self) -> bool:
        """Shown on the site: the writer allowed it and the reply passed 审核."""
        return self.publish_allowed and self.status in ANSWERED_STATUSES

    @property
    def public_name(self) -> str:
        return mask_name(self.name)

    @property
    def public_subject(self) -> str:
        return redact_contacts(self.subject)

    @property
    def public_content(self) -> str:
        return redact_contacts(self.content)

    @property
    def public_reply(self) -> str:
        return redact_contacts(self.reply_text)

    @property
    def answer_days(self) -> int | None:
        """Calendar days from receipt to the reply (for the statistics' average)."""
        return (self.replied_on - self.received_on).days if self.replied_on else None

    def check_query_code(self, code: str) -> bool:
        return publicforms.query_code_matches(self.query_code_hash, code, QUERY_CODE_SALT)


class Transfer(models.Model):
    """One 转办 of a message to another site of the cluster: the trail both sites see."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="transfers")
    from_site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    to_site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    note = models.TextField("转办说明", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    on = models.DateField("转办日期")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.message} → {self.to_site}"


class MessageAttachment(models.Model):
    """A file the writer attached (private media: handlers download it, the public never)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("附件", upload_to=attachment_path, max_length=200)
    title = models.CharField("附件名称", max_length=200)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


def site_channels(site: Site) -> list[Channel]:
    """The site's enabled channels; a site without any gets the four defaults (so every site has one)."""
    channels = list(Channel.objects.filter(site=site, enabled=True))
    if not channels and not Channel.objects.filter(site=site).exists():
        channels = create_default_channels(site)
    return channels


def create_default_channels(site: Site, leader_name: str = "领导信箱") -> list[Channel]:
    names: dict[str, str] = {ChannelKind.LEADER.value: leader_name}
    return [
        Channel.objects.get_or_create(
            site=site,
            kind=kind,
            defaults={
                "name": names.get(str(kind), str(label)),
                "reply_workdays": default_workdays(kind),
                "sort_order": order,
            },
        )[0]
        for order, (kind, label) in enumerate(ChannelKind.choices)
    ]


class MessageBoardPage(RoutablePageMixin, BasePage):
    """留言选登: the site's public messages with their replies, and the monthly statistics.

    Every route is a static address published by the static publisher (`published_subpaths`): the list
    (index.html, index_2.html …), one page per message (ly-2026-000123.html) and the statistics (tj.html).
    The form itself is dynamic, at /liuyan/ (views.py)."""

    intro = models.TextField("说明", blank=True, help_text="显示在列表上方。")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["govsite_content.ColumnPage", "govsite_content.HomePage"]
    subpage_types: list[str] = []
    template = "interaction/board_page.html"
    max_count_per_parent = 1

    class Meta:
        verbose_name = "留言选登"

    def gov_meta(self) -> list[tuple[str, str]]:
        return [
            ("ColumnName", self.title),
            ("ColumnDescription", self.intro or f"{self.title}：公众留言及答复、留言办理情况统计。"),
            ("ColumnKeywords", "留言,咨询,建议,投诉,领导信箱"),
            ("ColumnType", ColumnType.CONSULTATION.value),
        ]

    # Wagtail resolves a routable page's rest of path with a trailing slash ("ly-….html/"): hence "/?".
    @re_path(r"^(?:index_(?P<number>[2-9]|[1-9]\d+)\.html)?/?$")
    def listing(self, request: HttpRequest, number: str | None = None) -> HttpResponse:
        from .public import message_list

        try:
            listing = message_list(self, int(number or 1))
        except LookupError as exc:
            raise Http404 from exc
        response: HttpResponse = self.render(request, context_overrides={"listing": listing})
        return response

    @re_path(r"^(?P<slug>ly-\d{4}-\d{6})\.html/?$")
    def message(self, request: HttpRequest, slug: str) -> HttpResponse:
        from .public import public_message

        item = public_message(self, slug)
        if item is None:
            raise Http404
        response: HttpResponse = self.render(
            request, template="interaction/message_page.html", context_overrides={"item": item}
        )
        return response

    @re_path(r"^tj\.html/?$")
    def statistics(self, request: HttpRequest) -> HttpResponse:
        from .public import statistics

        response: HttpResponse = self.render(
            request,
            template="interaction/statistics_page.html",
            context_overrides={"stats": statistics(self)},
        )
        return response

    def published_subpaths(self) -> list[str]:
        """Every address below the board's own (for the static publisher)."""
        from .public import subpaths

        return subpaths(self)
