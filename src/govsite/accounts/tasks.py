"""Background work of the accounts app (run by `govsite db_worker`)."""

from django_tasks import task


@task()
def disable_dormant_accounts_task() -> str:
    """Disable accounts unused for GOVSITE_DORMANT_DAYS (E5); queued daily by the platform clock."""
    from .services import disable_dormant_accounts

    disabled = disable_dormant_accounts()
    return f"停用长期未登录账号 {len(disabled)} 个：{'、'.join(disabled)}" if disabled else "无长期未登录账号"
