"""The demo public account and two 找错 reports on a department site (called by `govsite demo`).

Idempotent like the rest of the demo: the account is known by its login, the reports by their text.
"""

from __future__ import annotations

import os

from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from .models import ErrorReport, ErrorType, LoginKind, PublicAccount, ReportStatus
from .services import due_date

DEMO_PUBLIC_LOGIN = "13900000001"  # documented in docs/public-accounts.md and printed by `govsite demo`
DEMO_PUBLIC_PASSWORD = os.environ.get("GOVSITE_DEMO_PUBLIC_PASSWORD", "Gongzhong-Demo-2026")


def build_demo_account() -> tuple[PublicAccount, bool]:
    """The demo public account (created if missing); returns it and whether it was created."""
    account = PublicAccount.objects.filter(login=DEMO_PUBLIC_LOGIN).first()
    if account is not None:
        return account, False
    account = PublicAccount(login=DEMO_PUBLIC_LOGIN, kind=LoginKind.PHONE, display_name="示例公众用户")
    account.set_password(DEMO_PUBLIC_PASSWORD)
    account.save()
    return account, True


def build_demo_error_reports(site: Site, account: PublicAccount) -> int:
    """Two reports on `site`: one new (from the demo account), one fixed with a reply."""
    today = timezone.localdate()
    root = site.root_url.rstrip("/")
    specs = [
        (ErrorType.LINK, "“科技动态”栏目第 2 页的“政策文件”链接打不开。", ReportStatus.NEW, "", account),
        (
            ErrorType.TYPO,
            "首页通知公告中“科技型中小企业”误写为“科技形中小企业”。",
            ReportStatus.FIXED,
            "已更正错别字，感谢您的纠错。",
            None,
        ),
    ]
    created = 0
    with transaction.atomic():
        for error_type, description, status, reply, owner in specs:
            if ErrorReport.objects.filter(site=site, description=description).exists():
                continue
            ErrorReport.objects.create(
                site=site,
                page_url=f"{root}/",
                error_type=error_type,
                description=description,
                contact="13900000001" if owner else "",
                account=owner,
                received_on=today,
                due_on=due_date(today),
                status=status,
                reply=reply,
                handled_on=today if reply else None,
            )
            created += 1
    return created
