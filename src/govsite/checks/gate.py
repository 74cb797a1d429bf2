"""THE publication gate: blocking check findings stop a page going live, whatever publishes it.

The admin's publish button, Wagtail's `revision.publish()` (the scheduler, 联合发布, 紧急发布,
imports, the shell) and bulk publishing all end in saving the page with a new live revision. A
`pre_save` receiver on every page model sees that save and refuses it while blocking findings of
the version going live are neither fixed nor overridden (CheckOverride). `Page.save` runs in a
transaction, so the refused save leaves nothing half-published.

The admin's `before_publish_page` hook (wagtail_hooks) runs first and answers editors with a
friendly message; this gate is the guarantee behind it. Background callers catch
`PublicationBlocked`, log it with `log_blocked` and go on with other pages.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from wagtail.models import Page

from .rules import Finding
from .services import log_checks_blocked, run_checks, stored_findings, unresolved_blocking


class PublicationBlocked(ValidationError):
    """A page was about to go live with blocking findings nobody has overridden."""

    def __init__(self, page: Page, revision_id: int | None, findings: list[Finding]) -> None:
        self.page = page
        self.revision_id = revision_id
        self.findings = findings
        problems = "；".join(f"{f.field_label}：{f.message}" for f in findings[:10])
        more = f"等 {len(findings)} 个问题" if len(findings) > 10 else ""
        super().__init__(f"《{page.title}》未发布：存在未处理的阻止发布问题（{problems}{more}）。")


def goes_live(page: Page) -> bool:
    """True when this save makes the page live, or puts a new revision live."""
    if not page.live:
        return False
    if page.pk is None or page._state.adding:
        return True  # created live (an import, a script's add_child): checked like any publication
    before = Page.objects.filter(pk=page.pk).values("live", "live_revision_id").first()
    if before is None:
        return True
    if not before["live"]:
        return True
    return page.live_revision_id is not None and page.live_revision_id != before["live_revision_id"]


def findings_going_live(page: Page) -> list[Finding]:
    """The findings of the version being saved: stored ones if they are of this revision, else now."""
    stored = stored_findings(page, page.live_revision_id) if page.pk else None
    return stored if stored is not None else run_checks(page)


def refuse_blocked_publication(sender: type, instance: Page, raw: bool = False, **kwargs: Any) -> None:
    if raw or not isinstance(instance, Page) or not goes_live(instance):
        return
    blocking = unresolved_blocking(instance, findings_going_live(instance))
    if blocking:
        raise PublicationBlocked(instance, instance.live_revision_id, blocking)


def log_blocked(blocked: PublicationBlocked, user: Any = None, attempted: str = "publish") -> None:
    """Record a refused background publication in the page's history (govsite.checks.blocked)."""
    page = Page.objects.filter(pk=blocked.page.pk).first()
    if page is not None:
        log_checks_blocked(page, user, blocked.findings, attempted)


pre_save.connect(refuse_blocked_publication, dispatch_uid="govsite_checks_publication_gate")
