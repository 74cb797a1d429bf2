"""Login lockout thresholds beyond django-axes' single limit (AXES_HANDLER).

Axes counts failures per filter in AXES_LOCKOUT_PARAMETERS and locks when the largest count reaches
one AXES_FAILURE_LIMIT. govsite needs three limits with different sizes, all within the cool-off:

- a username from one address (the pair): AXES_FAILURE_LIMIT, small (5);
- a username from any addresses (password guessing spread over many addresses):
  GOVSITE_LOGIN_ACCOUNT_LIMIT, larger (20), so that a real official's own typos never reach it;
- one address for any usernames (one machine trying many accounts): GOVSITE_LOGIN_ADDRESS_LIMIT.

The account limit lets anyone lock an official out with a few dozen requests. To keep that cheap
attack from locking the official out of their own desk, a username that logged in successfully from
an address within GOVSITE_LOGIN_KNOWN_DAYS is held to the pair limit only there. A success resets
the pair's failures only: it never wipes a distributed attack on the account, and an attacker with
one valid account cannot reset their address's count by logging in with it.
"""

from datetime import timedelta
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class GovsiteAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with a pair limit, an account limit and an address limit."""

    def recent_attempts(self, request: HttpRequest) -> QuerySet[AccessAttempt]:
        attempts: QuerySet[AccessAttempt] = AccessAttempt.objects.all()  # axes is untyped
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts

    def is_known_pair(self, username: str, ip_address: str | None) -> bool:
        """The user logged in successfully from this address recently (axes' access log)."""
        since = timezone.now() - timedelta(days=settings.GOVSITE_LOGIN_KNOWN_DAYS)
        known: bool = AccessLog.objects.filter(
            username=username, ip_address=ip_address, attempt_time__gte=since
        ).exists()
        return known

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """Failures that count towards the lockout, on axes' scale: at or above the pair limit locks.

        The pair's own count is returned unless the account or the address limit is reached, in
        which case the pair limit itself is returned (so axes locks and shows its lockout page).
        """
        username = get_client_username(request, credentials)
        ip_address = request.axes_ip_address  # type: ignore[attr-defined]
        attempts = self.recent_attempts(request)
        pair = _failures(attempts.filter(username=username, ip_address=ip_address))
        limit: int = get_failure_limit(request, credentials)
        if pair >= limit or (username and self.is_known_pair(username, ip_address)):
            return pair
        account = _failures(attempts.filter(username=username)) if username else 0
        address = _failures(attempts.filter(ip_address=ip_address)) if ip_address else 0
        if account >= settings.GOVSITE_LOGIN_ACCOUNT_LIMIT or address >= settings.GOVSITE_LOGIN_ADDRESS_LIMIT:
            return max(pair, limit)
        return pair

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """On a successful login forget the pair's failures only (see the module docstring)."""
        username = get_client_username(request, credentials)
        count: int
        count, _ = AccessAttempt.objects.filter(
            username=username,
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        ).delete()
        return count
