"""The public 留言 pages of each site (/liuyan/, and /elder/liuyan/ in 长辈版): form, receipt, lookup, rating.

Dynamic like the 依申请公开 form (GOVSITE_DYNAMIC_PREFIXES): the static server and nginx pass these
addresses to Django. A message is committed before its 留言编号 is shown; what was typed is never lost to
an error page; the request bodies are marked sensitive so that no error report copies them.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from govsite.citizens.accounts import current_account
from govsite.core import ratelimit
from govsite.versions.registry import STANDARD
from govsite.workdays.calendar import WorkdayCalendar

from .deadlines import current_deadline
from .forms import LookupForm, MessageForm, RatingForm
from .models import Message, site_channels
from .services import TransitionError, rate, submit

SESSION_RECEIPT = "govsite_message_receipt"
LOOKUP_REFUSED = "留言编号或查询码不正确，请核对后重试。"
NUMBER_FAILURE_LIMIT = 20  # wrong query codes per 留言编号 per hour, from any address
RATING_PREFIX = "pj"
RATE_MESSAGE = "操作过于频繁，请稍等一分钟后再试。"


def submit_limit() -> int:
    """Messages per address per minute (GOVSITE_MESSAGE_SUBMIT_LIMIT)."""
    return int(getattr(settings, "GOVSITE_MESSAGE_SUBMIT_LIMIT", 5))


def lookup_limit() -> int:
    """Lookups and ratings per address per minute (GOVSITE_MESSAGE_LOOKUP_LIMIT)."""
    return int(getattr(settings, "GOVSITE_MESSAGE_LOOKUP_LIMIT", 10))


def _site(request: HttpRequest) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


def _versioned(request: HttpRequest, path: str) -> str:
    version = getattr(request, "govsite_version", STANDARD)
    return f"{version.prefix}{path}"


def _rate_limited(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    response = TemplateResponse(request, template, {**context, "rate_message": RATE_MESSAGE}, status=429)
    response["Retry-After"] = "60"
    return response


@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def write(request: HttpRequest) -> HttpResponse:
    """写留言: on success the 留言编号 and query code are shown once (receipt page)."""
    site = _site(request)
    channels = site_channels(site)
    template = "interaction/form.html"
    context: dict[str, object] = {"channels": channels}
    if request.method != "POST":
        chosen = next((c.pk for c in channels if c.kind == request.GET.get("type")), None)
        form = MessageForm(channels=channels, initial={"channel": chosen} if chosen else {})
        return TemplateResponse(request, template, {**context, "form": form})
    form = MessageForm(request.POST, request.FILES, channels=channels)
    if form.refresh_requested():  # 换一题: the same form with another question, nothing checked
        return TemplateResponse(request, template, {**context, "form": form})
    if not ratelimit.allow(request, "message-submit", submit_limit()):
        return _rate_limited(request, template, {**context, "form": form})
    if not form.is_valid():
        return TemplateResponse(request, template, {**context, "form": form}, status=400)
    message, code = submit(
        site,
        form.cleaned_data["channel"],
        form.message_fields(),
        form.cleaned_data["attachments"],
        account=current_account(request),
    )
    request.session[SESSION_RECEIPT] = {"number": message.number, "code": code}
    return HttpResponseRedirect(_versioned(request, "/liuyan/done/"))


def done(request: HttpRequest) -> HttpResponse:
    """The receipt, shown once: the query code is stored nowhere it could be read back."""
    receipt = request.session.pop(SESSION_RECEIPT, None)
    if not receipt:
        return HttpResponseRedirect(_versioned(request, "/liuyan/cx/"))
    message = Message.objects.filter(origin_site=_site(request), number=receipt["number"]).first()
    context = {"receipt": receipt, "message": message, "deadline": _deadline(message)}
    return TemplateResponse(request, "interaction/done.html", context)


def _deadline(message: Message | None) -> object:
    if message is None:
        return None
    return current_deadline(message, WorkdayCalendar.load(), timezone.localdate())


def _checked_message(request: HttpRequest, form: LookupForm) -> Message | None:
    """The message the number and code name, or None (the failure counted against the number too)."""
    site = _site(request)
    number = form.cleaned_data["number"]
    message = Message.objects.filter(origin_site=site, number=number).select_related("channel").first()
    failures_key = f"message-lookup-failures:{site.pk}:{number}"
    locked = ratelimit.exhausted(failures_key, NUMBER_FAILURE_LIMIT, window=3600)
    if message is None or locked or not message.check_query_code(form.cleaned_data["code"]):
        ratelimit.allow_key(failures_key, NUMBER_FAILURE_LIMIT, window=3600)
        form.add_error(None, LOOKUP_REFUSED)
        return None
    return message


def _found(request: HttpRequest, message: Message, **extra: object) -> HttpResponse:
    context = {
        "form": LookupForm(),
        "message": message,
        "deadline": _deadline(message),
        "rating_form": RatingForm(initial={"number": message.number}, prefix=RATING_PREFIX),
        **extra,
    }
    return TemplateResponse(request, "interaction/lookup.html", context)


@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """留言查询: number + query code show that one message's status and reply, nothing else."""
    template = "interaction/lookup.html"
    if request.method != "POST":
        return TemplateResponse(request, template, {"form": LookupForm()})
    form = LookupForm(request.POST)
    if not ratelimit.allow(request, "message-lookup", lookup_limit()):
        return _rate_limited(request, template, {"form": form})
    if not form.is_valid():
        return TemplateResponse(request, template, {"form": form}, status=400)
    message = _checked_message(request, form)
    if message is None:
        return TemplateResponse(request, template, {"form": form}, status=400)
    return _found(request, message)


@sensitive_post_parameters()
@require_http_methods(["POST"])
def rating(request: HttpRequest) -> HttpResponse:
    """满意度评价: the query code again (nothing is remembered between requests), then the rating."""
    template = "interaction/lookup.html"
    form = RatingForm(request.POST, prefix=RATING_PREFIX)
    if not ratelimit.allow(request, "message-lookup", lookup_limit()):
        return _rate_limited(request, template, {"form": LookupForm()})
    if not form.is_valid():
        return TemplateResponse(request, template, {"form": LookupForm(), "rating_errors": form}, status=400)
    message = _checked_message(request, form)
    if message is None:
        return TemplateResponse(request, template, {"form": LookupForm(), "rating_errors": form}, status=400)
    try:
        rate(message, form.cleaned_data["rating"])
    except TransitionError as error:
        return _found(request, message, rating_problem=str(error))
    return _found(request, message, rated=True)
