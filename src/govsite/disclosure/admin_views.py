"""The handlers' admin: case list (masked), due-soon/overdue list, case detail (audited) and its steps.

Every view goes through `access.case_for` / `access.visible_cases`: a handler sees their own site's
cases only, and a case of another department loaded by id is a 404.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from wagtail.models import ModelLogEntry

from govsite.core.crypto import lookup_hash
from govsite.core.personal import mask_name, mask_number
from govsite.core.publicforms import open_private, upload_problem
from govsite.workdays.calendar import UnknownHolidayYear, WorkdayCalendar, format_day
from govsite.workdays.notices import unknown_year_notice

from . import services
from .access import case_for, handler_sites, visible_cases
from .deadlines import Deadline, current_deadline
from .models import DisclosureRequest, ReplyAttachment, Status
from .outcomes import outcome_choices


def _require_handler(request: HttpRequest) -> None:
    if not handler_sites(request.user).exists():
        raise PermissionDenied


def _rows(cases: list[DisclosureRequest], calendar: WorkdayCalendar, today: dt.date) -> list[dict[str, Any]]:
    return [
        {
            "case": case,
            "name": mask_name(case.name),
            "phone": mask_number(case.phone),
            "id_number": mask_number(case.id_number),
            "deadline": current_deadline(case, calendar, today),
        }
        for case in cases
    ]


@sensitive_post_parameters("phone")
def case_list(request: HttpRequest) -> HttpResponse:
    """All cases of the handler's sites, newest first, personal data masked. ?due=1: due soon or overdue.
    A posted phone: the cases with that contact phone (found by its keyed hash, the phone being encrypted;
    posted so that no access log holds it)."""
    _require_handler(request)
    params = request.POST if request.method == "POST" else request.GET
    # The list decrypts only what it shows (e-mail and address stay encrypted until the detail page).
    cases = (
        visible_cases(request.user)
        .select_related("site")
        .prefetch_related("consultations")
        .defer("email", "address")
    )
    phone = request.POST.get("phone", "").strip()[:30]
    if phone:
        cases = cases.filter(phone_hash=lookup_hash(phone))
    if params.get("status") in Status.values:
        cases = cases.filter(status=params["status"])
    due_only = params.get("due") == "1"
    if due_only:
        cases = cases.filter(status__in=[Status.REGISTERED, Status.SUPPLEMENT, Status.CONSULTING])
    today = timezone.localdate()
    # The full list shows the newest 500; the due list must show every open case that needs attention,
    # and across the cluster the overdue ones are the oldest.
    rows = _rows(list(cases if due_only else cases[:500]), WorkdayCalendar.load(), today)
    if due_only:
        rows = [r for r in rows if _needs_attention(r["deadline"])]
        rows.sort(key=lambda r: r["deadline"].days_left if r["deadline"].days_left is not None else -999)
    context = {
        "rows": rows,
        "due_only": due_only,
        "statuses": Status.choices,
        "status": params.get("status", ""),
        "phone": phone,
        "many_sites": handler_sites(request.user).count() > 1,
    }
    return TemplateResponse(request, "disclosure/admin/case_list.html", context)


def _needs_attention(deadline: Deadline | None) -> bool:
    """Due within 5 working days, overdue, or not computable (unknown holidays): a handler must look."""
    return deadline is not None and (
        deadline.due_soon or deadline.overdue or deadline.unknown_year is not None
    )


class SupplementForm(forms.Form):
    items = forms.CharField(label="需补正的事项", widget=forms.Textarea(attrs={"rows": 3}))
    on = forms.DateField(label="告知日期")


class DateForm(forms.Form):
    on = forms.DateField(label="日期")


class ConsultationForm(forms.Form):
    party = forms.CharField(label="第三方", max_length=100)
    on = forms.DateField(label="征求意见日期")


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label="延长工作日数", min_value=1, max_value=20)
    approver = forms.CharField(label="批准人", max_length=50)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label="批准日期")


class ReplyForm(forms.Form):
    outcome = forms.ChoiceField(label="办理结果", choices=[("", "请选择"), *outcome_choices()])
    text = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 6}), required=False)
    on = forms.DateField(label="答复日期")


STEP_FORMS: dict[str, type[forms.Form]] = {
    "supplement": SupplementForm,
    "supplement_received": DateForm,
    "abandon": DateForm,
    "consult": ConsultationForm,
    "consultation_ended": DateForm,
    "extend": ExtensionForm,
    "reply": ReplyForm,
}


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole case file with the applicant's data in full; every view is an audit entry."""
    case = case_for(request.user, pk)
    services.audit(case, "viewed", request.user)
    return _detail_response(request, case)


def _detail_response(
    request: HttpRequest, case: DisclosureRequest, bound: tuple[str, forms.Form] | None = None
) -> HttpResponse:
    calendar = WorkdayCalendar.load()
    today = timezone.localdate()
    deadline = current_deadline(case, calendar, today)
    step_forms = {name: form_class(initial={"on": today}) for name, form_class in STEP_FORMS.items()}
    if bound:
        step_forms[bound[0]] = bound[1]
    context = {
        "case": case,
        "deadline": deadline,
        "unknown_notice": unknown_year_notice(deadline.unknown_year)
        if deadline and deadline.unknown_year
        else "",
        "supplement_notice_by": _safe_day(calendar, case.received_on, 7),
        "forms": step_forms,
        "history": _history(case),
        "status": Status,
    }
    return TemplateResponse(
        request, "disclosure/admin/case_detail.html", context, status=400 if bound else 200
    )


def _safe_day(calendar: WorkdayCalendar, start: dt.date, n: int) -> str:
    try:
        return format_day(calendar.add_workdays(start, n))
    except UnknownHolidayYear as error:
        return str(unknown_year_notice(error))


def _history(case: DisclosureRequest) -> list[Any]:
    content_type = ContentType.objects.get_for_model(DisclosureRequest)
    return list(
        ModelLogEntry.objects.filter(content_type=content_type, object_id=str(case.pk))
        .exclude(action="govsite.disclosure.viewed")
        .select_related("user")
        .order_by("-timestamp")[:50]
    )


# What each step did, said on the page the handler lands on (never a bare "saved").
DONE = {
    "supplement": "已记录补正告知，等待申请人补正",
    "supplement_received": "已收到补正，答复期限重新计算",
    "abandon": "已视为放弃申请并办结",
    "consult": "已开始征求第三方意见，征求意见期间不计入答复期限",
    "consultation_ended": "已收到第三方意见，答复期限继续计算",
    "extend": "已延期答复",
    "reply": "已答复，答复书已生成",
}


@require_POST
def case_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step of the workflow from the detail page's forms; a refusal re-shows the page with the reason."""
    case = case_for(request.user, pk)
    form_class = STEP_FORMS.get(step)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return _detail_response(request, case, (step, form))
    data = form.cleaned_data
    user = request.user
    try:
        if step == "supplement":
            services.request_supplement(case, user, data["items"], data["on"], WorkdayCalendar.load())
        elif step == "supplement_received":
            services.receive_supplement(case, user, data["on"])
        elif step == "abandon":
            services.abandon(case, user, data["on"])
        elif step == "consult":
            services.start_consultation(case, user, data["party"], data["on"])
        elif step == "consultation_ended":
            services.end_consultation(case, user, data["on"])
        elif step == "extend":
            services.extend(
                case, user, data["days"], data["approver"], data["reason"], data["on"], WorkdayCalendar.load()
            )
        else:
            uploads = request.FILES.getlist("attachments")
            for upload in uploads:
                problem = upload_problem(upload, "附件")
                if problem:
                    raise services.TransitionError(f"附件“{upload.name}”：{problem}")
            services.reply(case, user, data["outcome"], data["text"], data["on"], uploads)
    except services.TransitionError as error:
        form.add_error(None, str(error))
        case.refresh_from_db()
        return _detail_response(request, case, (step, form))
    messages.success(request, f"{DONE[step]}：{case.number}")
    return HttpResponseRedirect(reverse("govsite_disclosure:detail", args=[case.pk]))


def reply_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored 答复书 on a page of its own, for printing."""
    case = case_for(request.user, pk)
    if not case.reply_html:
        raise Http404
    services.audit(case, "viewed", request.user)
    return TemplateResponse(request, "disclosure/admin/reply_print.html", {"case": case})


def case_file(request: HttpRequest, pk: int, kind: str, item: int = 0) -> FileResponse:
    """The applicant's ID scan or a reply attachment: only for the case's handlers, never from /media/."""
    case = case_for(request.user, pk)
    if kind == "id" and case.id_document:
        services.audit(case, "file_viewed", request.user)
        suffix = PurePosixPath(case.id_document.name or "").suffix
        return FileResponse(open_private(case.id_document), filename=f"{case.number}-证件{suffix}")
    if kind == "reply":
        attachment = get_object_or_404(ReplyAttachment, pk=item, case=case)
        return FileResponse(open_private(attachment.file), as_attachment=True, filename=attachment.title)
    raise Http404


urlpatterns = [
    path("", case_list, name="list"),
    path("<int:pk>/", case_detail, name="detail"),
    path("<int:pk>/step/<str:step>/", case_step, name="step"),
    path("<int:pk>/reply/", reply_letter, name="reply_letter"),
    path("<int:pk>/file/<str:kind>/", case_file, name="file"),
    path("<int:pk>/file/<str:kind>/<int:item>/", case_file, name="file_item"),
]
