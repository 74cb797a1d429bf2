"""The public dynamic pages: 找错 (/zhaocuo/) and the public account (/zhanghu/), also under /elder/.

Like /yisqgk/, the static server and nginx pass these prefixes to Django (GOVSITE_DYNAMIC_PREFIXES).
Whatever was typed comes back in the form on every error, request bodies are kept out of error
reports, and every form works without an account.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Site

from govsite.core import ratelimit
from govsite.versions.registry import STANDARD, versioned_url

from . import accounts
from .forms import ErrorReportForm, RegisterForm, SignInForm
from .models import ErrorReport
from .sections import account_sections
from .services import resolve_site, submit_report

SESSION_RECEIPT = "govsite_error_report_receipt"
RATE_MESSAGE = "操作过于频繁，请稍等一分钟后再试。"
LOCKED_MESSAGE = "登录失败次数过多，为保护账户安全，该账户或当前网络地址已被临时锁定，请 30 分钟后再试。"
SIGN_IN_REFUSED = "手机号码或电子邮箱、密码不正确，请核对后重试。"
ACCOUNT_HOME = "/zhanghu/"


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _site(request: HttpRequest) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


def _versioned(request: HttpRequest, path: str) -> str:
    return versioned_url(path, getattr(request, "govsite_version", STANDARD))


def _refused(request: HttpRequest, template: str, context: dict[str, object], message: str) -> HttpResponse:
    response = TemplateResponse(request, template, {**context, "refusal": message}, status=429)
    response["Retry-After"] = "60"
    return response


def _reported_url(request: HttpRequest) -> str:
    """The page the 找错 link came from (?url=, a path or an address), as an address to prefill."""
    url = request.GET.get("url", "")[:2000]
    if url.startswith("/") and not url.startswith("//"):
        return request.build_absolute_uri(url)
    return url


@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """我为政府网站找错: stored for the site that owns the address, with its number shown once."""
    here = _site(request)
    template = "citizens/report.html"
    if request.method != "POST":
        form = ErrorReportForm(initial={"page_url": _reported_url(request)})
        return TemplateResponse(request, template, {"form": form})
    form = ErrorReportForm(request.POST)
    if form.refresh_requested():  # 换一题: the same form with another question, nothing checked
        return TemplateResponse(request, template, {"form": form})
    if not ratelimit.allow(request, "error-report", _limit("GOVSITE_ERROR_REPORT_LIMIT", 5)):
        return _refused(request, template, {"form": form}, RATE_MESSAGE)
    if form.is_valid():
        try:
            site = resolve_site(form.cleaned_data["page_url"], here)
        except ValueError as error:
            form.add_error("page_url", str(error))
    if not form.is_valid():
        return TemplateResponse(request, template, {"form": form}, status=400)
    data = dict(form.cleaned_data)
    if data["page_url"].startswith("/"):
        data["page_url"] = request.build_absolute_uri(data["page_url"])
    saved = submit_report(site, data, accounts.current_account(request))
    request.session[SESSION_RECEIPT] = saved.pk
    return HttpResponseRedirect(_versioned(request, "/zhaocuo/done/"))


def report_done(request: HttpRequest) -> HttpResponse:
    pk = request.session.pop(SESSION_RECEIPT, None)
    saved = ErrorReport.objects.filter(pk=pk).select_related("site").first() if pk else None
    if saved is None:
        return HttpResponseRedirect(_versioned(request, "/zhaocuo/"))
    return TemplateResponse(request, "citizens/report_done.html", {"report": saved})


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return _versioned(request, ACCOUNT_HOME)


@sensitive_post_parameters("password")
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """登录: phone or e-mail and password; locked after repeated failures (accounts.py)."""
    _site(request)
    template = "citizens/sign_in.html"
    next_url = request.GET.get("next", "")
    if request.method != "POST":
        return TemplateResponse(request, template, {"form": SignInForm(), "next": next_url})
    form = SignInForm(request.POST)
    context: dict[str, object] = {"form": form, "next": request.POST.get("next", "")}
    if not form.is_valid():
        return TemplateResponse(request, template, context, status=400)
    login = form.cleaned_data["login"]
    if accounts.is_locked(request, login):
        return _refused(request, template, context, LOCKED_MESSAGE)
    account = accounts.authenticate_public(request, login, form.cleaned_data["password"])
    if account is None:
        form.add_error(None, SIGN_IN_REFUSED)
        return TemplateResponse(request, template, context, status=400)
    accounts.sign_in(request, account)
    return HttpResponseRedirect(_next_url(request))


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """注册: optional; every form of the site also works without an account."""
    _site(request)
    template = "citizens/register.html"
    if request.method != "POST":
        return TemplateResponse(request, template, {"form": RegisterForm()})
    form = RegisterForm(request.POST)
    if form.refresh_requested():
        return TemplateResponse(request, template, {"form": form})
    if not ratelimit.allow(request, "public-register", _limit("GOVSITE_REGISTER_LIMIT", 5)):
        return _refused(request, template, {"form": form}, RATE_MESSAGE)
    if not form.is_valid():
        return TemplateResponse(request, template, {"form": form}, status=400)
    account = form.build_account()
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:  # registered at the same moment by another request
        form.add_error("login", "该手机号码或电子邮箱已注册，请直接登录。")
        return TemplateResponse(request, template, {"form": form}, status=400)
    accounts.sign_in(request, account)
    return HttpResponseRedirect(_versioned(request, ACCOUNT_HOME))


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    accounts.sign_out(request)
    return HttpResponseRedirect(_versioned(request, "/zhanghu/denglu/"))


def home(request: HttpRequest) -> HttpResponse:
    """我的账号: what the person sent while signed in, one section per app (sections.py)."""
    _site(request)
    account = accounts.current_account(request)
    if account is None:
        return HttpResponseRedirect(_versioned(request, "/zhanghu/denglu/") + "?next=" + request.path)
    context = {"account": account, "sections": account_sections(request, account)}
    return TemplateResponse(request, "citizens/home.html", context)
