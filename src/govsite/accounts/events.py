"""The one place where account controls report security events (second factor, lockouts on the code
step, idle timeouts, dormant accounts, expired passwords) into the audit trail (core/audit.py, E6).

Callers pass plain values only: never a password, a code or a secret.
"""

from typing import Any

from django.http import HttpRequest

from govsite.core import audit


def record_security_event(
    event: str,
    *,
    user: Any = None,
    request: HttpRequest | None = None,
    outcome: str = audit.SUCCESS,
    **details: object,
) -> None:
    """Record one account-security event (`auth.<event>`): what happened, to whom, with which outcome,
    from where. A user given only by name (a refused login) is kept in the detail."""
    if isinstance(user, str):
        details = {"username": user, **details}
        user = None
    audit.record(f"auth.{event}", user=user, request=request, outcome=outcome, detail=dict(details))
