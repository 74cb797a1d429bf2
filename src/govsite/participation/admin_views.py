"""The handlers' admin: the pages of their sites, each page's submissions (masked), a submission's
detail (audited), moderation of interview questions, survey results and the Excel export.

Every view goes through `access`: a handler sees their own site's pages and rows only, and a row of
another department loaded by id is a 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from govsite.core.personal import mask_name, mask_number
from govsite.workdays.calendar import WorkdayCalendar

from . import services
from .access import handler_sites, page_for, row_for, visible_pages
from .export import page_sheets, workbook_bytes
from .models import InterviewPage, InterviewQuestion, Moderation, Opinion, SolicitationPage, SurveyPage
from .surveys import summarise

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_handler(request: HttpRequest) -> None:
    if not handler_sites(request.user).exists():
        raise PermissionDenied


def _kind(page: Any) -> str:
    return str(page._meta.verbose_name)


def _count(page: Any) -> int:
    if isinstance(page, SolicitationPage):
        return page.opinions.filter(hidden=False).count()
    if isinstance(page, SurveyPage):
        return page.responses.filter(hidden=False).count()
    return int(page.questions.filter(hidden=False).count())


def index(request: HttpRequest) -> HttpResponse:
    """Every 征集, 调查 and 访谈 of the handler's sites, with what came in; overdue 采纳情况 first."""
    _require_handler(request)
    pages = visible_pages(request.user)
    rows = [{"page": p, "kind": _kind(p), "count": _count(p)} for p in pages]
    context = {
        "rows": rows,
        "missing": services.missing_adoptions(pages, WorkdayCalendar.load()),
        "due_days": services.ADOPTION_DUE_WORKDAYS,
    }
    return TemplateResponse(request, "participation/admin/index.html", context)


def page_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One page's submissions: opinions (masked), survey results with the free-text answers, questions."""
    page = page_for(request.user, pk)
    context: dict[str, Any] = {"page": page, "kind": _kind(page)}
    if isinstance(page, SolicitationPage):
        opinions = list(page.opinions.all())
        context["opinions"] = [
            {"row": o, "name": mask_name(o.name) or "（未填）", "contact": mask_number(o.contact)}
            for o in opinions
        ]
        counted = [o for o in opinions if not o.hidden]
        context["received"] = len(counted)
        context["adopted"] = sum(1 for o in counted if o.adoption in ("adopted", "partly"))
        context["adoption_due"] = services.adoption_due(page, WorkdayCalendar.load())
    elif isinstance(page, SurveyPage):
        context["results"] = summarise(page, page.responses.all())
        context["response_count"] = page.responses.filter(hidden=False).count()
        services.audit(page, "results_viewed", request.user)
    elif isinstance(page, InterviewPage):
        context["questions"] = [
            {"row": q, "name": mask_name(q.name) or "（未填）"} for q in page.questions.order_by("created_at")
        ]
        context["moderation"] = Moderation
    return TemplateResponse(request, "participation/admin/page_detail.html", context)


class OpinionHandlingForm(forms.ModelForm[Opinion]):
    class Meta:
        model = Opinion
        fields = ["adoption", "note", "hidden"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


def opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An opinion with the sender's data in full (audited); the handler records its adoption."""
    opinion = row_for(request.user, Opinion, pk)
    if request.method == "POST":
        form = OpinionHandlingForm(request.POST, instance=opinion)
        if form.is_valid():
            form.save()
            services.audit(opinion, "handled", request.user, adoption=opinion.adoption, hidden=opinion.hidden)
            done = f"已记录意见 {opinion.pk} 的采纳情况：{opinion.get_adoption_display()}"
            messages.success(request, done + ("（已作为垃圾信息隐藏）。" if opinion.hidden else "。"))
            return HttpResponseRedirect(reverse("govsite_participation:page", args=[opinion.page_id]))
    else:
        form = OpinionHandlingForm(instance=opinion)
        services.audit(opinion, "viewed", request.user)
    return TemplateResponse(
        request, "participation/admin/opinion_detail.html", {"opinion": opinion, "form": form}
    )


def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A question with the sender's data in full (audited)."""
    question = row_for(request.user, InterviewQuestion, pk)
    services.audit(question, "viewed", request.user)
    context = {"question": question, "moderation": Moderation}
    return TemplateResponse(request, "participation/admin/question_detail.html", context)


@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """审核 a question: approved ones show on the interview page (from its next publication)."""
    question = row_for(request.user, InterviewQuestion, pk)
    status = request.POST.get("status", "")
    if status not in Moderation.values:
        raise Http404
    question.status = status
    question.hidden = status == Moderation.REJECTED and request.POST.get("spam") == "1"
    question.save(update_fields=["status", "hidden"])
    services.audit(question, "moderated", request.user, status=status)
    messages.success(request, f"已设为“{question.get_status_display()}”。页面重新发布后生效。")
    return HttpResponseRedirect(reverse("govsite_participation:page", args=[question.page_id]))


def export(request: HttpRequest, pk: int) -> HttpResponse:
    """The page's submissions or results as an Excel workbook (audited)."""
    page = page_for(request.user, pk)
    services.audit(page, "exported", request.user)
    response = HttpResponse(workbook_bytes(page_sheets(page)), content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="participation-{page.pk}-{stamp}.xlsx"'
    return response


urlpatterns = [
    path("", index, name="index"),
    path("page/<int:pk>/", page_detail, name="page"),
    path("page/<int:pk>/export/", export, name="export"),
    path("opinion/<int:pk>/", opinion_detail, name="opinion"),
    path("question/<int:pk>/", question_detail, name="question"),
    path("question/<int:pk>/moderate/", moderate, name="moderate"),
]
