"""The one place where account controls report security events (logins refused, lockouts, changes).

The audit trail (issue 17, E6) will take these over; until then they go to the `govsite.security`
logger. Callers pass plain values only: never a password, a code or a secret.
"""

import logging
from typing import Any

from django.http import HttpRequest

logger = logging.getLogger("govsite.security")


def record_security_event(
    event: str,
    *,
    user: Any = None,
    request: HttpRequest | None = None,
    outcome: str = "success",
    **details: object,
) -> None:
    """Record one account-security event: what happened, to whom, with which outcome, from where."""
    username = getattr(user, "username", None) or (str(user) if user is not None else "")
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    logger.info(
        "security event=%s user=%s outcome=%s address=%s %s",
        event,
        username,
        outcome,
        address,
        " ".join(f"{key}={value}" for key, value in sorted(details.items())),
    )
