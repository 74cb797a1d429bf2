"""Public sign-in: the account's own session keys, its own password check and its own lockout.

Why not Django's `login()`/`authenticate()`: `authenticate()` asks every backend, and the admin's
`ModelBackend` would accept an official whose username happened to equal the typed login; `login()`
sets `request.user`, which is what the admin trusts. A public sign-in touches neither: it writes
`SESSION_ACCOUNT`/`SESSION_HASH` into the session (after a new session key), and `current_account()`
reads them back. Signing out removes these keys only, so an official signed into the admin in the
same browser stays signed in there, and vice versa.

Lockout: the admin's limits (django-axes, `govsite.core.lockout`) work through `authenticate()`, so
public sign-in counts its failures itself with the shared rate limiter, with the same sizes and the
same cool-off (`AXES_FAILURE_LIMIT` per login and address, `GOVSITE_LOGIN_ACCOUNT_LIMIT` per login,
`GOVSITE_LOGIN_ADDRESS_LIMIT` per address, within `AXES_COOLOFF_HOURS`), in their own key space: a
public login never locks an official out, and the other way round.
"""

from __future__ import annotations

import hmac
import re

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from govsite.core import ratelimit
from govsite.core.middleware import client_ip

from .models import LoginKind, PublicAccount

SESSION_ACCOUNT = "govsite_public_account"
SESSION_HASH = "govsite_public_account_hash"
_CACHED = "_govsite_public_account"

PHONE = re.compile(r"^1[3-9]\d{9}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_login(raw: str) -> tuple[str, str] | None:
    """(login, kind) for a mobile number or an e-mail address as typed, or None when it is neither."""
    value = raw.strip()
    compact = re.sub(r"[\s\-]", "", value).removeprefix("+86")
    if PHONE.match(compact):
        return compact, LoginKind.PHONE
    if len(value) <= 254 and EMAIL.match(value):
        return value.lower(), LoginKind.EMAIL
    return None


def current_account(request: HttpRequest) -> PublicAccount | None:
    """The public account signed in on this request's session, or None (cached on the request)."""
    if hasattr(request, _CACHED):
        cached: PublicAccount | None = getattr(request, _CACHED)
        return cached
    account = None
    session = getattr(request, "session", None)
    pk = session.get(SESSION_ACCOUNT) if session is not None else None
    if pk is not None and session is not None:
        candidate = PublicAccount.objects.filter(pk=pk, is_active=True).first()
        stored = str(session.get(SESSION_HASH, ""))
        if candidate is not None and hmac.compare_digest(stored, candidate.session_hash()):
            account = candidate
        else:
            sign_out(request)
    setattr(request, _CACHED, account)
    return account


def sign_in(request: HttpRequest, account: PublicAccount) -> None:
    """Start the account's session under a new session key (no session fixation)."""
    request.session.cycle_key()
    request.session[SESSION_ACCOUNT] = account.pk
    request.session[SESSION_HASH] = account.session_hash()
    account.last_login = timezone.now()
    account.save(update_fields=["last_login"])
    setattr(request, _CACHED, account)


def sign_out(request: HttpRequest) -> None:
    """End the public session only: an admin session in the same browser is left alone."""
    for key in (SESSION_ACCOUNT, SESSION_HASH):
        request.session.pop(key, None)
    request.session.cycle_key()
    setattr(request, _CACHED, None)


# --- Lockout -------------------------------------------------------------------------------------


def _window() -> int:
    return max(int(float(settings.AXES_COOLOFF_TIME) * 3600), 60)


def _limits(login: str, ip: str) -> list[tuple[str, int]]:
    return [
        (f"public-login:pair:{login}:{ip}", int(settings.AXES_FAILURE_LIMIT)),
        (f"public-login:account:{login}", int(settings.GOVSITE_LOGIN_ACCOUNT_LIMIT)),
        (f"public-login:address:{ip}", int(settings.GOVSITE_LOGIN_ADDRESS_LIMIT)),
    ]


def is_locked(request: HttpRequest, login: str) -> bool:
    """Whether sign-in with `login` from this address is locked (checked before the password)."""
    ip = client_ip(request) or "unknown"
    return any(ratelimit.exhausted(key, limit, _window()) for key, limit in _limits(login, ip))


def record_failure(request: HttpRequest, login: str) -> None:
    ip = client_ip(request) or "unknown"
    for key, limit in _limits(login, ip):
        ratelimit.allow_key(key, limit, _window())


def authenticate_public(request: HttpRequest, login: str, password: str) -> PublicAccount | None:
    """The active account with this login and password, or None (the failure is counted)."""
    account = PublicAccount.objects.filter(login=login, is_active=True).first()
    if account is None:
        PublicAccount().set_password(password)  # an unknown login costs as much time as a wrong password
    elif account.check_password(password):
        return account
    record_failure(request, login)
    return None
