from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Admin accounts under 等保 level 3: second factor, password age and history, dormant accounts."""

    name = "govsite.accounts"
    label = "govsite_accounts"
    verbose_name = "账号安全"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from govsite.core.background import on_the_clock

        from . import signal_handlers  # noqa: F401
        from .policy import reserved_username_validator
        from .tasks import disable_dormant_accounts_task

        on_the_clock(disable_dormant_accounts_task, every_seconds=24 * 3600)
        # E5 on every form that validates the user model (the admin's user forms, createsuperuser):
        # auth.User cannot be subclassed here, so its username field gets the rule as a validator.
        username = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD)
        validators = getattr(username, "validators", [])
        if reserved_username_validator not in validators:
            validators.append(reserved_username_validator)
