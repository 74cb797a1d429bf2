"""Receiving a request and moving a case through its states, each step in Wagtail's audit log.

Every function checks that the step is allowed now (a Chinese `TransitionError` otherwise) and logs
it with `wagtail.log_actions.log` against the case, whose label is its 受理编号: the log never holds
the applicant's personal information.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Site

from govsite.citizens.models import PublicAccount
from govsite.core.publicforms import new_query_code
from govsite.core.types import RequestUser
from govsite.sites.models import SiteProfile
from govsite.workdays.calendar import UnknownHolidayYear, WorkdayCalendar, format_day

from .deadlines import (
    MAX_EXTENSION_WORKDAYS,
    SUPPLEMENT_ANSWER_WORKDAYS,
    SUPPLEMENT_NOTICE_WORKDAYS,
    reply_due,
)
from .models import Consultation, DisclosureRequest, ReplyAttachment, Status, allocate_number, hash_query_code
from .outcomes import Outcome, outcome_label

Actor = RequestUser | None


class TransitionError(Exception):
    """A step that is not allowed in the case's present state; the message is for the handler."""


def audit(case: DisclosureRequest, action: str, user: Actor, **data: Any) -> None:
    """One audit entry (Wagtail's ModelLogEntry) for `case`; `data` must hold no personal information."""
    log(instance=case, action=f"govsite.disclosure.{action}", user=user, data=data or None)


def submit(
    site: Site,
    data: dict[str, Any],
    id_document: UploadedFile[bytes] | None,
    account: PublicAccount | None = None,
) -> tuple[DisclosureRequest, str]:
    """Register an online application (received today, Art. 31) and return it with its query code.

    `account`: the public account the applicant is signed in with (the case is listed under 我的申请).
    """
    code = new_query_code()
    today = timezone.localdate()
    with transaction.atomic():
        case = DisclosureRequest(
            site=site,
            number=allocate_number(site, today.year),
            query_code_hash=hash_query_code(code),
            received_on=today,
            account=account,
            **data,
        )
        if id_document is not None:
            case.id_document.save(id_document.name or "id", id_document, save=False)
        case.save()
        audit(case, "submit", None)
    return case, code


def _require(case: DisclosureRequest, *states: str) -> None:
    if case.status not in states:
        allowed = "、".join(Status(s).label for s in states)
        raise TransitionError(
            f"此操作只能在“{allowed}”状态下进行，本申请当前为“{case.get_status_display()}”。"
        )


def request_supplement(
    case: DisclosureRequest, user: Actor, items: str, on: dt.date, calendar: WorkdayCalendar
) -> None:
    """补正告知 (Art. 30): once only, within 7 working days of receipt; the applicant gets 15 to answer."""
    _require(case, Status.REGISTERED)
    if case.supplement_requested_on:
        raise TransitionError("补正告知只能发出一次（《条例》第三十条）。")
    if not items.strip():
        raise TransitionError("请写明需要补正的事项。")
    latest = calendar.add_workdays(case.received_on, SUPPLEMENT_NOTICE_WORKDAYS)
    if on < case.received_on or on > latest:
        raise TransitionError(f"补正告知应在收到申请之日起 7 个工作日内（{format_day(latest)} 前）发出。")
    case.supplement_requested_on = on
    case.supplement_items = items.strip()
    case.supplement_due = calendar.add_workdays(on, SUPPLEMENT_ANSWER_WORKDAYS)
    case.status = Status.SUPPLEMENT
    case.save()
    audit(case, "supplement_requested", user, due=case.supplement_due.isoformat())


def receive_supplement(case: DisclosureRequest, user: Actor, on: dt.date) -> None:
    """The supplement arrived: the reply period starts again from this day."""
    _require(case, Status.SUPPLEMENT)
    if case.supplement_requested_on is None or case.supplement_due is None:
        raise TransitionError("本申请没有补正告知记录。")
    if on < case.supplement_requested_on:
        raise TransitionError("收到补正的日期不能早于补正告知日期。")
    if on > case.supplement_due:
        raise TransitionError("补正期限已过，申请视为放弃，请按“逾期不补正”办结。")
    case.supplement_received_on = on
    case.status = Status.REGISTERED
    case.save()
    audit(case, "supplement_received", user, on=on.isoformat())


def abandon(case: DisclosureRequest, user: Actor, today: dt.date) -> None:
    """No supplement by its deadline: the request counts as withdrawn (视为放弃, outcome 逾期不补正)."""
    _require(case, Status.SUPPLEMENT)
    if case.supplement_due is None:
        raise TransitionError("本申请没有补正告知记录。")
    if today <= case.supplement_due:
        raise TransitionError(f"补正期限（{format_day(case.supplement_due)}）尚未届满。")
    case.status = Status.CLOSED
    case.outcome = Outcome.OTHER_NO_SUPPLEMENT
    case.replied_on = today
    case.save()
    audit(case, "abandoned", user)


def start_consultation(case: DisclosureRequest, user: Actor, party: str, on: dt.date) -> Consultation:
    """征求第三方意见 (Art. 32): the working days until the opinion arrives are not counted."""
    _require(case, Status.REGISTERED)
    if not party.strip():
        raise TransitionError("请填写征求意见的第三方。")
    if on < case.clock_start:
        raise TransitionError("征求意见日期不能早于受理日期。")
    consultation = Consultation.objects.create(case=case, party=party.strip(), started_on=on)
    case.status = Status.CONSULTING
    case.save()
    audit(case, "consultation_started", user, on=on.isoformat())
    return consultation


def end_consultation(case: DisclosureRequest, user: Actor, on: dt.date) -> None:
    """The third party answered (or its 15 working days ran out): the reply clock runs again."""
    _require(case, Status.CONSULTING)
    consultation = case.consultations.filter(ended_on__isnull=True).last()
    if consultation is None or on < consultation.started_on:
        raise TransitionError("收到意见的日期不能早于征求意见日期。")
    consultation.ended_on = on
    consultation.save()
    case.status = Status.REGISTERED
    case.save()
    audit(case, "consultation_ended", user, on=on.isoformat())


def extend(
    case: DisclosureRequest,
    user: Actor,
    days: int,
    approver: str,
    reason: str,
    on: dt.date,
    calendar: WorkdayCalendar,
) -> None:
    """延期 (Art. 33): approved by the head of the office, at most 20 working days, once, and decided
    (and told to the applicant) while the 20 days still run: a period that has ended cannot be extended."""
    _require(case, Status.REGISTERED, Status.CONSULTING)
    if case.extension_days:
        raise TransitionError("本申请已延期，不能再次延期。")
    if not 1 <= days <= MAX_EXTENSION_WORKDAYS:
        raise TransitionError(f"延长期限应为 1 至 {MAX_EXTENSION_WORKDAYS} 个工作日。")
    if not approver.strip() or not reason.strip():
        raise TransitionError("延期须写明批准人和理由。")
    pauses = [(c.started_on, c.ended_on) for c in case.consultations.all()]
    try:
        due = reply_due(calendar, case.clock_start, 0, pauses, today=on)
    except UnknownHolidayYear:
        due = None  # the clock cannot place the end (unknown holidays): the decision stands
    if due is not None and on > due:
        raise TransitionError(f"答复期限已于 {format_day(due)} 届满，不能再延期（《条例》第三十三条）。")
    case.extension_days = days
    case.extension_approver = approver.strip()
    case.extension_reason = reason.strip()
    case.extended_on = on
    case.save()
    audit(case, "extended", user, days=days)


def reply(
    case: DisclosureRequest,
    user: Actor,
    outcome: str,
    text: str,
    on: dt.date,
    attachments: list[UploadedFile[bytes]] = [],  # noqa: B006 - never mutated
) -> None:
    """答复: exactly one outcome of table three; the 答复书 is generated from its template and kept."""
    _require(case, Status.REGISTERED, Status.CONSULTING)
    if outcome not in Outcome.values:
        raise TransitionError("请选择办理结果。")
    if on < case.received_on:
        raise TransitionError("答复日期不能早于收到申请日期。")
    with transaction.atomic():
        if case.status == Status.CONSULTING:
            end_consultation(case, user, on)
        case.outcome = outcome
        case.reply_text = text.strip()
        case.replied_on = on
        case.status = Status.REPLIED
        case.reply_html = render_reply_letter(case)
        case.save()
        for upload in attachments:
            attachment = ReplyAttachment(case=case, title=(upload.name or "附件")[:200])
            attachment.file.save(upload.name or "file", upload, save=False)
            attachment.save()
        audit(case, "replied", user, outcome=outcome)


def render_reply_letter(case: DisclosureRequest) -> str:
    """The 政府信息公开申请答复书, from `disclosure/reply_letter.html`; stored so it never changes later."""
    profile = SiteProfile.for_site(case.site)
    return render_to_string(
        "disclosure/reply_letter.html",
        {"case": case, "outcome_label": outcome_label(case.outcome), "organiser": profile.organiser},
    )
