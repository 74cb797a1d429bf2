"""Page-lifecycle actions: 撤稿 (withdraw/restore) and 文件效力, kept apart from HTTP so tests,
commands and other apps can call them. Each logs to the page's history and sends a content signal."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page

from .models import ArticlePage, DocumentValidity, Withdrawal
from .signals import page_list_order_changed, page_restored, page_validity_changed, page_withdrawn


def can_publish(page: Page, user: Any) -> bool:
    return page.permissions_for_user(user).can_publish()


def can_withdraw(page: Page, user: Any) -> bool:
    """Who may 撤稿 and lift it: whoever may publish the page."""
    return can_publish(page, user)


@transaction.atomic
def withdraw(page: Page, user: Any, mode: str, reason: str, replacement: Page | None = None) -> Withdrawal:
    """撤稿: the address answers with a notice, a 410 or a redirect; the attachments go private."""
    if not page.permissions_for_user(user).can_unpublish() and not can_publish(page, user):
        raise PermissionDenied("没有撤稿的权限。")
    if mode == Withdrawal.Mode.REDIRECT and replacement is None:
        raise ValidationError("选择“跳转到替代页面”时必须选择替代页面。")
    if replacement is not None and replacement.pk == page.pk:
        raise ValidationError("替代页面不能是本页面。")
    withdrawal, _ = Withdrawal.objects.update_or_create(
        page=page, defaults={"mode": mode, "reason": reason, "replacement": replacement, "user": user}
    )
    log(
        instance=page,
        action="govsite.withdraw",
        user=user,
        data={
            "mode": withdrawal.get_mode_display(),
            "reason": reason,
            "replacement": replacement.pk if replacement else None,
        },
    )
    page_withdrawn.send(sender=Withdrawal, instance=page)
    return withdrawal


@transaction.atomic
def restore(page: Page, user: Any) -> None:
    """Lift 撤稿: the page is listed, found and its attachments served again."""
    if not can_publish(page, user):
        raise PermissionDenied("没有恢复稿件的权限。")
    deleted, _ = Withdrawal.objects.filter(page=page).delete()
    if deleted:
        log(instance=page, action="govsite.withdraw.restore", user=user)
        page_restored.send(sender=Withdrawal, instance=page)


@transaction.atomic
def set_validity(
    page: Page, user: Any, status: str, replaced_by: Page | None = None, note: str = ""
) -> DocumentValidity:
    """文件效力: record the status; the page shows a banner unless it is 有效."""
    if not page.permissions_for_user(user).can_edit():
        raise PermissionDenied
    validity, _ = DocumentValidity.objects.update_or_create(
        page=page, defaults={"status": status, "replaced_by": replaced_by, "note": note}
    )
    log(
        instance=page,
        action="govsite.validity",
        user=user,
        data={"status": status, "replaced_by": replaced_by.pk if replaced_by else None, "note": note},
    )
    page_validity_changed.send(sender=DocumentValidity, instance=page)  # the page must be re-rendered
    return validity


def expire_pins(now: Any = None) -> int:
    """End the 置顶 of articles whose 置顶截止时间 has passed, so their lists are rendered again.

    Lists already ignore an ended pin (`visibility.pinned_q`); clearing the flag is what lets the
    static files catch up. A later revision that still says 置顶 with the past date changes nothing.
    """
    ended = ArticlePage.objects.filter(pinned=True, pinned_until__lte=now or timezone.now())
    pages = list(ended)
    ended.update(pinned=False)
    for page in pages:
        page.pinned = False
        page_list_order_changed.send(sender=ArticlePage, instance=page)
    return len(pages)
