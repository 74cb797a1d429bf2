"""The "我的…" sections of the account page, contributed by other apps through a Wagtail hook.

An app that keeps what a person sent (依申请公开, 留言, …) registers a function under the hook
`govsite_public_account_sections`; it receives the request and the signed-in `PublicAccount` and
returns an `AccountSection` (or None to add nothing). The account page shows them sorted by `order`:

    @hooks.register(ACCOUNT_SECTIONS_HOOK)
    def my_cases(request, account):
        return AccountSection(order=20, title="我的申请", template="…", context={"cases": …})
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from wagtail import hooks

from .models import PublicAccount

ACCOUNT_SECTIONS_HOOK = "govsite_public_account_sections"


@dataclass(frozen=True)
class AccountSection:
    order: int
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def account_sections(request: HttpRequest, account: PublicAccount) -> list[AccountSection]:
    sections = [fn(request, account) for fn in hooks.get_hooks(ACCOUNT_SECTIONS_HOOK)]
    return sorted((s for s in sections if s is not None), key=lambda s: (s.order, s.title))
