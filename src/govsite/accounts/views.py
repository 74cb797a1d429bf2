"""The second-factor steps (enrolment, the code at login) and the forced change of an expired password."""

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from .events import record_security_event
from .forms import CodeForm, EnrolForm, ExpiredPasswordForm
from .middleware import PASSWORD_CHECKED_KEY
from .twofactor import (
    base32_secret,
    has_confirmed_device,
    new_recovery_codes,
    pending_totp_device,
    provisioning_uri,
    qr_svg,
    verify_code,
)


def next_url(request: HttpRequest) -> str:
    """Where to continue: the `next` the admin was heading to, if it is on this host."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


def is_verified(request: HttpRequest) -> bool:
    return bool(request.user.is_verified())  # type: ignore[union-attr]


def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Bind an authenticator: QR code and secret, confirmed by its first code; recovery codes follow.

    An account that already has one must prove it first (the code step) before binding another:
    the password alone never replaces a second factor.
    """
    user = request.user
    if has_confirmed_device(user) and not is_verified(request):
        return redirect(f"{reverse('govsite_two_factor_verify')}?next={reverse('govsite_two_factor_setup')}")
    device = pending_totp_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token("".join(form.cleaned_data["code"].split())):
            type(device).objects.filter(user=user, confirmed=True).delete()  # a rebinding replaces it
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            codes = new_recovery_codes(user)
            record_security_event("two_factor_enrolled", user=user, request=request)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url(request)}
            )
        form.add_error("code", "验证码不正确，请核对手机时间后重新输入最新的验证码。")
    setup: dict[str, Any] = {
        "form": form,
        "qr": qr_svg(provisioning_uri(device)),
        "secret": base32_secret(device),
        "next": next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", setup)


def locked_out(request: HttpRequest, credentials: dict[str, str]) -> HttpResponse:
    """End the half-logged-in session and answer as the password form does when locked (axes' page)."""
    logout(request)
    record_security_event("locked_out", user=credentials["username"], request=request, outcome="failure")
    response: HttpResponse = get_lockout_response(request, credentials=credentials)
    return response


def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code step of the login. Failures count like password failures (django-axes): the 6-digit
    code cannot be guessed faster than the password, and a lockout ends the half-logged-in session."""
    user = request.user
    if is_verified(request):
        return HttpResponseRedirect(next_url(request))
    if not has_confirmed_device(user):
        return redirect("govsite_two_factor_setup")
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return locked_out(request, credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = verify_code(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            record_security_event("second_factor", user=user, request=request, device=device.persistent_id)
            return HttpResponseRedirect(next_url(request))
        record_security_event("second_factor", user=user, request=request, outcome="failure")
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if AxesProxyHandler.is_locked(request, credentials):
            return locked_out(request, credentials)
        form.add_error("code", "验证码不正确或已使用，请输入身份验证器当前显示的验证码。")
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url(request)})


def password_expired(request: HttpRequest) -> HttpResponse:
    """The password is older than the platform allows: a new one before anything else (E1)."""
    form = ExpiredPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        request.session[PASSWORD_CHECKED_KEY] = True
        record_security_event("password_changed", user=request.user, request=request, reason="expired")
        return HttpResponseRedirect(next_url(request))
    return render(request, "accounts/password_expired.html", {"form": form, "next": next_url(request)})
