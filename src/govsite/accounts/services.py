"""Account housekeeping the platform does on its own."""

from django.db import transaction

from .events import record_security_event
from .policy import dormant_accounts


@transaction.atomic
def disable_dormant_accounts() -> list[str]:
    """Deactivate every dormant account (is_active=False: it keeps its history and can be re-enabled
    by an administrator); the usernames disabled."""
    disabled: list[str] = []
    for user in dormant_accounts().select_for_update():
        user.is_active = False
        user.save(update_fields=["is_active"])
        record_security_event("account_disabled", user=user, reason="dormant")
        disabled.append(user.get_username())
    return disabled
