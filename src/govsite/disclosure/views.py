"""The public 依申请公开 pages of each department site (/yisqgk/, and /elder/yisqgk/ in 长辈版).

Dynamic like search: the static server and nginx pass these addresses to Django
(GOVSITE_DYNAMIC_PREFIXES). Nothing a person typed is ever lost to an error page, and the request
bodies are marked sensitive so that no error report copies them.
"""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from govsite.citizens.accounts import current_account
from govsite.core import ratelimit
from govsite.versions.registry import STANDARD
from govsite.workdays.calendar import WorkdayCalendar

from .deadlines import current_deadline
from .forms import ApplicationForm, LookupForm
from .models import DisclosureRequest, ReplyAttachment, open_private
from .services import submit

SESSION_RECEIPT = "govsite_disclosure_receipt"
SESSION_CASES = "govsite_disclosure_cases"
LOOKUP_REFUSED = "受理编号或查询码不正确，请核对后重试。"
# Wrong query codes per 受理编号 per hour, from any addresses, before the number is locked for the hour.
NUMBER_FAILURE_LIMIT = 20
RATE_MESSAGE = "操作过于频繁，请稍等一分钟后再试。"


def submit_limit() -> int:
    """Applications per address per minute (GOVSITE_DISCLOSURE_SUBMIT_LIMIT)."""
    return int(getattr(settings, "GOVSITE_DISCLOSURE_SUBMIT_LIMIT", 5))


def lookup_limit() -> int:
    """Lookups per address per minute (GOVSITE_DISCLOSURE_LOOKUP_LIMIT); failures also count per number."""
    return int(getattr(settings, "GOVSITE_DISCLOSURE_LOOKUP_LIMIT", 10))


def _site(request: HttpRequest) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


def _rate_limited(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    context = {**context, "rate_message": RATE_MESSAGE}
    response = TemplateResponse(request, template, context, status=429)
    response["Retry-After"] = "60"
    return response


def _versioned(request: HttpRequest, path: str) -> str:
    version = getattr(request, "govsite_version", STANDARD)
    return f"{version.prefix}{path}"


@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """政府信息公开申请表: on success, the 受理编号 and query code are shown once (receipt page)."""
    site = _site(request)
    template = "disclosure/apply.html"
    if request.method != "POST":
        return TemplateResponse(request, template, {"form": ApplicationForm()})
    form = ApplicationForm(request.POST, request.FILES)
    if not ratelimit.allow(request, "disclosure-submit", submit_limit()):
        return _rate_limited(request, template, {"form": form})
    if not form.is_valid():
        return TemplateResponse(request, template, {"form": form}, status=400)
    account = current_account(request)
    case, code = submit(site, form.case_fields(), form.cleaned_data["id_document"], account)
    request.session[SESSION_RECEIPT] = {"number": case.number, "code": code}
    return HttpResponseRedirect(_versioned(request, "/yisqgk/done/"))


def done(request: HttpRequest) -> HttpResponse:
    """The receipt, shown once: the query code is not stored anywhere it could be read back."""
    receipt = request.session.pop(SESSION_RECEIPT, None)
    if not receipt:
        return HttpResponseRedirect(_versioned(request, "/yisqgk/cx/"))
    case = DisclosureRequest.objects.filter(site=_site(request), number=receipt["number"]).first()
    return TemplateResponse(
        request, "disclosure/done.html", {"receipt": receipt, "case": case, "deadline": _deadline(case)}
    )


def _deadline(case: DisclosureRequest | None) -> object:
    return current_deadline(case, WorkdayCalendar.load()) if case is not None else None


@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """办理进度查询: 受理编号 + 查询码 show that one case's status, deadline and reply, nothing else."""
    site = _site(request)
    template = "disclosure/lookup.html"
    if request.method != "POST":
        return TemplateResponse(request, template, {"form": LookupForm()})
    form = LookupForm(request.POST)
    if not ratelimit.allow(request, "disclosure-lookup", lookup_limit()):
        return _rate_limited(request, template, {"form": form})
    if not form.is_valid():
        return TemplateResponse(request, template, {"form": form}, status=400)
    number = form.cleaned_data["number"]
    case = DisclosureRequest.objects.filter(site=site, number=number).first()
    # Failures per number are limited too, so that many addresses cannot share the guessing.
    failures_key = f"disclosure-lookup-failures:{site.pk}:{number}"
    locked = ratelimit.exhausted(failures_key, NUMBER_FAILURE_LIMIT, window=3600)
    if case is None or locked or not case.check_query_code(form.cleaned_data["code"]):
        ratelimit.allow_key(failures_key, NUMBER_FAILURE_LIMIT, window=3600)
        form.add_error(None, LOOKUP_REFUSED)
        return TemplateResponse(request, template, {"form": form}, status=400)
    allowed = set(request.session.get(SESSION_CASES, []))
    request.session[SESSION_CASES] = sorted(allowed | {case.pk})
    context = {"form": LookupForm(), "case": case, "deadline": _deadline(case)}
    return TemplateResponse(request, template, context)


def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A reply's attachment, for the applicant who looked the case up in this browser session."""
    item = get_object_or_404(ReplyAttachment, pk=pk, case__site=_site(request))
    if item.case_id not in request.session.get(SESSION_CASES, []):
        raise Http404
    return FileResponse(open_private(item.file), as_attachment=True, filename=item.title)
