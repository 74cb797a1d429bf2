"""Admin-side account controls, in the order a request meets them.

- AdminHostMiddleware (内外网分离, E3/E5): the admin exists only on GOVSITE_ADMIN_HOSTS and for
  clients in GOVSITE_ADMIN_NETWORKS; anywhere else /admin/ answers the ordinary 404.
- AdminAccountMiddleware, for a logged-in user who can reach the admin: the idle timeout (E2), then the
  second factor (E4: enrolment or the code step, nothing else), then password expiry (E1).
"""

import ipaddress
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import warning
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.http.request import split_domain_port
from django.urls import reverse

from govsite.core.middleware import ADMIN_PREFIXES, client_ip

from .events import record_security_event
from .policy import needs_second_factor, password_expired, reaches_admin
from .twofactor import has_confirmed_device, second_factors

GetResponse = Callable[[HttpRequest], HttpResponseBase]
LAST_SEEN_KEY = "govsite_admin_last_seen"
PASSWORD_CHECKED_KEY = "govsite_password_checked"  # noqa: S105 - a session key name
# Requests the admin's own scripts make on their own (the editor's concurrent-editing ping): they do
# not count as the user's activity, or an open editor tab would keep a session alive for ever.
BACKGROUND_PATHS = ("/admin/editing-sessions/",)
# What every admin page, the login and these steps included, loads by script (the icon sprite is fetched
# and inserted into the page): never redirected, or the step's own page would be inserted into itself.
ADMIN_ASSETS = ("/admin/sprite/", "/admin/jsi18n/")


def admin_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(ADMIN_PREFIXES)


def admin_reachable_from(request: HttpRequest) -> bool:
    """The request's host is an admin host and its client is on an admin network (empty: any)."""
    hosts = settings.GOVSITE_ADMIN_HOSTS
    if hosts and split_domain_port(request.get_host())[0] not in hosts:
        return False
    networks = settings.GOVSITE_ADMIN_NETWORKS
    if not networks:
        return True
    try:
        address = ipaddress.ip_address(client_ip(request) or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in networks)


class AdminHostMiddleware:
    """The public host has no admin: /admin/ there is a page like any missing one."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if admin_request(request) and not admin_reachable_from(request):
            raise Http404("后台仅在内网地址开放")
        return self.get_response(request)


def _allowed_while_unverified(path: str) -> bool:
    names = (
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "govsite_two_factor_setup",
        "govsite_two_factor_verify",
    )
    return any(path == reverse(name) for name in names)


class AdminAccountMiddleware:
    """Idle timeout, second factor and password expiry for every account that can reach the admin."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info.startswith(ADMIN_ASSETS):
            return self.get_response(request)
        if admin_request(request) and reaches_admin(request.user):
            response = self.idle_timeout(request)
            if response is None:
                response = self.expiry(request) if self.factor_proved(request) else self.factor_step(request)
            if response is not None:
                return response
        elif request.user.is_authenticated and not self.factor_proved(request):
            # Outside the admin the permissions of a half-logged-in session count for nothing either
            # (draft attachments under /documents/, private media): it is anonymous until the code.
            request.user = AnonymousUser()
        return self.get_response(request)

    def idle_timeout(self, request: HttpRequest) -> HttpResponseBase | None:
        """Log out a session idle longer than GOVSITE_ADMIN_IDLE_MINUTES (E2)."""
        now = time.time()
        last_seen = request.session.get(LAST_SEEN_KEY)
        if last_seen is not None and now - float(last_seen) > settings.GOVSITE_ADMIN_IDLE_MINUTES * 60:
            record_security_event("session_timeout", user=request.user, request=request)
            logout(request)
            warning(request, "长时间未操作，已自动退出登录，请重新登录。")
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('wagtailadmin_login')}?{query}")
        # Written at most once a minute: the session is not saved on every admin request.
        background = request.path_info.startswith(BACKGROUND_PATHS)
        if not background and (last_seen is None or now - float(last_seen) >= 60):
            request.session[LAST_SEEN_KEY] = now
        return None

    def factor_proved(self, request: HttpRequest) -> bool:
        """The session proved a second factor: the code step, or a plugged-in factor now (E4)."""
        user = request.user
        if not needs_second_factor(user) or user.is_verified():  # type: ignore[union-attr]
            return True
        from django_otp import login as otp_login

        for factor in second_factors():
            device = factor.verified_device(request)
            if device is not None:
                otp_login(request, device)
                record_security_event(
                    "second_factor", user=user, request=request, device=device.persistent_id
                )
                return True
        return False

    def factor_step(self, request: HttpRequest) -> HttpResponseBase | None:
        """Without a proved second factor the admin offers enrolment or the code step, nothing else."""
        if _allowed_while_unverified(request.path_info):
            return None
        step = (
            "govsite_two_factor_verify" if has_confirmed_device(request.user) else "govsite_two_factor_setup"
        )
        return HttpResponseRedirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")

    def expiry(self, request: HttpRequest) -> HttpResponseBase | None:
        """A password older than GOVSITE_PASSWORD_MAX_AGE_DAYS must be changed before anything else."""
        change = reverse("govsite_password_expired")
        if request.path_info in (change, reverse("wagtailadmin_logout")):
            return None
        # Checked once per session until it is changed: one query at login, not one per request.
        if request.session.get(PASSWORD_CHECKED_KEY):
            return None
        if password_expired(request.user):
            return HttpResponseRedirect(f"{change}?{urlencode({'next': request.get_full_path()})}")
        request.session[PASSWORD_CHECKED_KEY] = True
        return None
