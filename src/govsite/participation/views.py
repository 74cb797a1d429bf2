"""The public forms of 征集, 调查 and 在线访谈 (/gzcy/…, and /elder/gzcy/… in 长辈版).

The pages themselves are static files; only these forms are dynamic (GOVSITE_DYNAMIC_PREFIXES), so
that the period is checked when the person sends, not when the page was published. A submission is
committed before the thank-you page shows; on any mistake the form comes back with what was typed.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from wagtail.models import Page, Site

from govsite.content.visibility import is_public
from govsite.core import ratelimit
from govsite.core.captcha import CaptchaFormMixin
from govsite.versions.registry import STANDARD

from .forms import OpinionForm, QuestionForm, SurveyForm
from .models import InterviewPage, InterviewQuestion, Opinion, SolicitationPage, SurveyPage, SurveyResponse
from .surveys import answers_from

RATE_MESSAGE = "提交过于频繁，请稍等一分钟后再试。您填写的内容仍在下方。"
CLOSED_MESSAGES = {
    "upcoming": "征集尚未开始，开始后即可提交。",
    "closed": "征集已结束，不再接收新的内容。感谢您的关注。",
}
P = TypeVar("P", bound=Page)
DONE_KINDS: dict[str, type[Page]] = {"zj": SolicitationPage, "dc": SurveyPage, "ft": InterviewPage}


def submit_limit() -> int:
    """Submissions per address per minute over all three forms (GOVSITE_PARTICIPATION_SUBMIT_LIMIT)."""
    return int(getattr(settings, "GOVSITE_PARTICIPATION_SUBMIT_LIMIT", 5))


def _page(request: HttpRequest, model: type[P], pk: int) -> tuple[P, Site]:
    """The public page `pk` of this type on the request's site; anything else is a 404."""
    site = Site.find_for_request(request)
    page = model.objects.live().filter(pk=pk).first()
    if site is None or page is None or not is_public(page):
        raise Http404
    if not page.url_path.startswith(site.root_page.url_path):
        raise Http404
    return page, site


def _versioned(request: HttpRequest, path: str) -> str:
    return f"{getattr(request, 'govsite_version', STANDARD).prefix}{path}"


def _respond(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> TemplateResponse:
    response = TemplateResponse(request, template, context, status=status)
    if status == 429:
        response["Retry-After"] = "60"
    return response


# Per page type: the form page's heading, its introduction and the submit button's label.
FORM_TEXTS: dict[type[Page], tuple[str, str, str]] = {
    SolicitationPage: ("提交意见", "请针对征求意见稿提出具体的意见和建议。", "提交意见"),
    SurveyPage: ("参与调查", "请逐题作答，每人提交一次即可。", "提交问卷"),
    InterviewPage: ("我要提问", "访谈开始前征集网友问题，问题经审核后在访谈页面显示。", "提交问题"),
}


def _handle(
    request: HttpRequest, page: Any, form: CaptchaFormMixin, open_now: bool, save: Any
) -> HttpResponse:
    """The shared POST path: closed → 409 with the text kept; 换一题 → the form again; rate limit → 429;
    invalid → 400."""
    heading, intro, submit_label = FORM_TEXTS[type(page)]
    template = "participation/form.html"
    context: dict[str, Any] = {
        "target": page,
        "form": form,
        "open": open_now,
        "heading": heading,
        "intro": intro,
        "submit_label": submit_label,
    }
    if not open_now and request.method != "POST":
        context["closed_message"] = _closed_message(page)
    if request.method != "POST":
        return _respond(request, template, context)
    if not open_now:
        context["closed_message"] = _closed_message(page)
        form.is_valid()  # the typed text is shown again, with the reason it cannot be sent
        return _respond(request, template, context, 409)
    if form.refresh_requested():  # 换一题: the same form with another question, nothing checked
        return _respond(request, template, context)
    if not ratelimit.allow(request, "participation-submit", submit_limit()):
        return _respond(request, template, {**context, "rate_message": RATE_MESSAGE}, 429)
    if not form.is_valid():
        return _respond(request, template, context, 400)
    with transaction.atomic():
        save(form.cleaned_data)
    return HttpResponseRedirect(_versioned(request, f"{page.form_path}done/"))


def _closed_message(page: Any) -> str:
    if isinstance(page, InterviewPage):
        return "访谈已开始或已结束，不再征集问题。"
    return CLOSED_MESSAGES.get(str(page.state()), "")


@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def solicitation(request: HttpRequest, pk: int) -> HttpResponse:
    page, site = _page(request, SolicitationPage, pk)
    form = OpinionForm(request.POST if request.method == "POST" else None)

    def save(data: dict[str, Any]) -> None:
        Opinion.objects.create(page=page, site=site, **data)

    return _handle(request, page, form, page.is_open, save)


@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    page, site = _page(request, SurveyPage, pk)
    form = SurveyForm(page, request.POST if request.method == "POST" else None)

    def save(data: dict[str, Any]) -> None:
        SurveyResponse.objects.create(page=page, site=site, answers=answers_from(page, data))

    return _handle(request, page, form, page.is_open, save)


@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def interview(request: HttpRequest, pk: int) -> HttpResponse:
    page, site = _page(request, InterviewPage, pk)
    form = QuestionForm(request.POST if request.method == "POST" else None)

    def save(data: dict[str, Any]) -> None:
        InterviewQuestion.objects.create(page=page, site=site, **data)

    return _handle(request, page, form, page.collects_questions, save)


def done(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The thank-you page after a submission (the row is committed before the redirect here)."""
    model = DONE_KINDS.get(kind)
    if model is None:
        raise Http404
    page, _site = _page(request, model, pk)
    return TemplateResponse(request, "participation/done.html", {"target": page, "kind": kind})
