"""依申请公开 cases: the application as received, its clock events, and the reply that closes it.

Personal information (name, ID number, phone, the ID attachment) lives here and nowhere else (ID number,
phone, e-mail and address encrypted at rest, core/crypto.py): cases
are not pages, so they are never published, indexed for search or listed in feeds; files are stored
under the private media prefix `disclosure/` (never served from /media/, see publishing.server).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from wagtail.models import Site

from govsite.core import publicforms
from govsite.core.crypto import EncryptedTextField, LookupHashField
from govsite.core.publicforms import private_path
from govsite.sites.sequences import next_value

from .outcomes import ApplicantType, Outcome, outcome_label

QUERY_CODE_SALT = "govsite.disclosure.query-code"


def id_document_path(instance: Any, filename: str) -> str:
    return private_path("disclosure", "ids", filename)


def reply_attachment_path(instance: Any, filename: str) -> str:
    return private_path("disclosure", "replies", filename)


def hash_query_code(code: str) -> str:
    return publicforms.hash_query_code(code, QUERY_CODE_SALT)


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO_TAIWAN = "hmt_permit", "港澳台居民居住证或通行证"
    CREDIT_CODE = "credit_code", "统一社会信用代码证"
    OTHER = "other", "其他有效证件"


class Delivery(models.TextChoices):
    PAPER = "paper", "纸质（邮寄）"
    PICKUP = "pickup", "纸质（当面领取）"
    EMAIL = "email", "电子邮件"
    ONLINE = "online", "在线查看"


class Status(models.TextChoices):
    REGISTERED = "registered", "已受理"
    SUPPLEMENT = "supplement", "待补正"
    CONSULTING = "consulting", "征求第三方意见"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"


# The 受理编号 sequence in govsite.sites.sequences (one row per site and year).
CASE_NUMBER_SEQUENCE = "disclosure.case_number"


def allocate_number(site: Site, year: int) -> str:
    """The next 受理编号 of `site` in `year`, e.g. YSQ-2026-000123 (call inside a transaction)."""
    return f"YSQ-{year}-{next_value(site, CASE_NUMBER_SEQUENCE, year):06d}"


class DisclosureRequest(models.Model):
    """One 政府信息公开申请 to one department (site), from receipt to reply."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="disclosure_requests")
    number = models.CharField("受理编号", max_length=32)
    query_code_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # The application (personal information: never public, masked in lists)
    applicant_type = models.CharField("申请人类型", max_length=20, choices=ApplicantType.choices)
    name = models.CharField("姓名或名称", max_length=100)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices)
    # Encrypted at rest (等保 E8, core/crypto.py); found by their keyed hashes, never by value.
    id_number = EncryptedTextField("证件号码", max_length=40)
    id_number_hash = LookupHashField(source="id_number")
    id_document = models.FileField("证件附件", upload_to=id_document_path, max_length=200, blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    phone = EncryptedTextField("联系电话", max_length=30)
    phone_hash = LookupHashField(source="phone")
    email = EncryptedTextField("电子邮箱", max_length=254, blank=True)
    address = EncryptedTextField("通信地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    description = models.TextField("所需信息的描述")
    purpose = models.TextField("所需信息的用途", blank=True)
    delivery = models.CharField("获取信息的方式", max_length=20, choices=Delivery.choices)

    # The public account the applicant was signed in with, if any (listed under 我的申请)
    account = models.ForeignKey(
        "govsite_citizens.PublicAccount",
        verbose_name="公众账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disclosure_requests",
    )

    # The clock (Art. 30–33): every date a deadline is counted from
    received_on = models.DateField("收到申请日期")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.REGISTERED)
    supplement_requested_on = models.DateField("补正告知日期", null=True, blank=True)
    supplement_items = models.TextField("需补正的内容", blank=True)
    supplement_due = models.DateField("补正期限", null=True, blank=True)
    supplement_received_on = models.DateField("收到补正日期", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("延长工作日数", default=0)
    extension_approver = models.CharField("延期批准人", max_length=50, blank=True)
    extension_reason = models.TextField("延期理由", blank=True)
    extended_on = models.DateField("延期日期", null=True, blank=True)

    # The reply
    outcome = models.CharField("办理结果", max_length=30, choices=Outcome.choices, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    reply_text = models.TextField("答复内容", blank=True)
    reply_html = models.TextField("答复书", blank=True)

    class Meta:
        verbose_name = "依申请公开"
        verbose_name_plural = "依申请公开"
        ordering = ["-received_on", "-pk"]
        permissions = [("handle_disclosure", "办理依申请公开")]
        constraints = [models.UniqueConstraint(fields=["site", "number"], name="disclosure_number_unique")]

    def __str__(self) -> str:
        # Used as the audit log's label: the number only, never the applicant's name.
        return self.number

    @property
    def clock_start(self) -> dt.date:
        """The day the 20-working-day reply period counts from: receipt, or the supplement (Art. 30)."""
        return self.supplement_received_on or self.received_on

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.REPLIED, Status.CLOSED)

    @property
    def outcome_display(self) -> str:
        return outcome_label(self.outcome) if self.outcome else ""

    def check_query_code(self, code: str) -> bool:
        return publicforms.query_code_matches(self.query_code_hash, code, QUERY_CODE_SALT)


class Consultation(models.Model):
    """A 征求第三方意见 (Art. 32): its working days do not count in the reply period (Art. 33)."""

    case = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="consultations")
    party = models.CharField("第三方", max_length=100)
    started_on = models.DateField("征求意见日期")
    ended_on = models.DateField("收到意见或期满日期", null=True, blank=True)

    class Meta:
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.started_on}"


class ReplyAttachment(models.Model):
    """A file sent with the reply: the applicant downloads it after a successful lookup."""

    case = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("附件", upload_to=reply_attachment_path, max_length=200)
    title = models.CharField("附件名称", max_length=200)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已超期"


class DeadlineReminder(models.Model):
    """A reminder sent to the handlers: one per case, kind and deadline (re-runs send nothing new;
    a deadline moved by a supplement or an extension is reminded of again)."""

    case = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField("提醒类型", max_length=12, choices=ReminderKind.choices)
    due = models.DateField("期限")
    sent_at = models.DateTimeField("提醒时间", auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "due"], name="one_reminder_per_case_kind_due")
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.due}"
