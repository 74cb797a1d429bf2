"""Pre-publication checks against the database: load a site's rules, run them on a page, store and
read the findings, record reviewers' overrides (放行).

Checks run on every saved revision (the results are stored in `PageCheck` and shown in the editor)
and again when a page goes live (`gate`): blocking findings stop publication unless a reviewer has
overridden them with a recorded reason.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.test import RequestFactory
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.log_actions import log
from wagtail.models import Page, Site, TaskState

from govsite.content import visibility
from govsite.content.attachments import document_text
from govsite.content.body import body_html, html_to_text
from govsite.core.bulk import memo

from . import rules
from .models import CheckOverride, Leader, PageCheck, ProofreadingReport, WordRule
from .rules import (
    BLOCKING,
    Finding,
    LinkChecker,
    RichTextScan,
    TextPart,
    WordMatcher,
    check_accessibility,
    check_leaders,
    check_personal_data,
    check_words,
    default_link_checker,
    scan_rich_text,
)

OVERRIDE_PERMISSION = "govsite_checks.override_checks"


class ChecksBlocked(ValidationError):
    """Publication refused: blocking findings remain (the message lists them)."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__("；".join(f"{f.field_label}：{f.message}" for f in findings))


def _rules_queryset(site: Site | None) -> "models.QuerySet[WordRule]":
    queryset = WordRule.objects.filter(site__isnull=True)
    if site is not None:
        queryset = queryset | WordRule.objects.filter(site=site)
    return queryset


def rules_for(site: Site | None) -> list[WordRule]:
    return list(_rules_queryset(site))


# Compiled matchers per site, with the state of the rules they were built from. Every saved revision
# and every publication is checked; loading hundreds of rules and indexing them each time cost more
# than the checks themselves. One aggregate query tells whether a rule was added, edited or deleted.
_matchers: dict[int | None, tuple[tuple[Any, ...], WordMatcher]] = {}


def word_matcher_for(site: Site | None) -> WordMatcher:
    """The site's word rules (its own and the platform's) as a matcher, rebuilt when a rule changes."""
    queryset = _rules_queryset(site)
    state = tuple(
        queryset.aggregate(
            count=models.Count("pk"), latest=models.Max("updated_at"), last=models.Max("pk")
        ).values()
    )
    key = site.pk if site is not None else None
    cached = _matchers.get(key)
    if cached is not None and cached[0] == state:
        return cached[1]
    matcher = WordMatcher(queryset)
    _matchers[key] = (state, matcher)
    return matcher


def leaders_for(site: Site | None) -> list[Leader]:
    return list(Leader.objects.filter(site=site)) if site else []


def site_of(page: Page) -> Site | None:
    """The site whose tree holds the page (the deepest root, should sites ever nest)."""
    if not page.path:
        return None
    steps = range(Page.steplen, len(page.path) + 1, Page.steplen)
    roots = memo("checks-site-roots", site_roots)
    return next((roots[page.path[:end]] for end in reversed(steps) if page.path[:end] in roots), None)


def site_roots() -> dict[str, Site]:
    """Every site by its root page's tree path (one query for a handful of rows; the first site of a root
    page is its site)."""
    return {site.root_page.path: site for site in Site.objects.select_related("root_page").order_by("-pk")}


def internal_path_exists(site: Site | None, path: str) -> bool:
    """Route a site-relative path through Wagtail, as a reader's request would be routed."""
    if site is None:
        return True
    components = [c for c in path.split("?")[0].split("#")[0].split("/") if c]
    if not components:
        return True
    if components[0] in {"documents", "media", "static", "sitemap", "admin"}:
        return True  # not page addresses; documents are checked by id
    try:
        request = RequestFactory().get(path, HTTP_HOST=site.hostname)
        site.root_page.specific.route(request, components)
    except Http404:
        return False
    return True


def internal_link_problem(site: Site | None) -> rules.InternalLinkProblem:
    """What is wrong with an internal link target of `site` (see `rules.check_links`)."""

    def problem(kind: str, reference: str) -> str:
        if kind == "page":
            page = Page.objects.filter(pk=int(reference) if reference.isdigit() else 0).first()
            if page is None:
                return "站内链接指向的页面不存在"
            if not page.live:
                return "站内链接指向未发布的页面"
            if hasattr(page, "withdrawal"):
                return "站内链接指向已撤稿的页面"
            if visibility.is_expired(page):
                return "站内链接指向已过下线时间的页面"
            if visibility.is_restricted(page):
                return "站内链接指向不公开（设有访问限制）的页面"
            return ""
        if kind == "document":
            pk = int(reference) if reference.isdigit() else 0
            return "" if get_document_model().objects.filter(pk=pk).exists() else "站内链接指向的文件不存在"
        return "" if internal_path_exists(site, reference) else "站内链接地址不存在"

    return problem


def check_links(
    scan: RichTextScan, field: str, label: str, site: Site | None, link_checker: LinkChecker | None
) -> list[Finding]:
    hosts = {site.hostname} if site else set()
    return rules.check_links(scan, field, label, hosts, internal_link_problem(site), link_checker)


def text_parts(page: Page) -> tuple[list[TextPart], list[tuple[str, str, str]]]:
    """Plain-text parts to check, and the rich-text fields (name, label, html) to scan."""
    parts = [TextPart("title", "标题", page.title or "")]
    rich: list[tuple[str, str, str]] = []
    for name, label in (("summary", "摘要"), ("source", "来源"), ("author", "作者")):
        value = getattr(page, name, "")
        if value:
            parts.append(TextPart(name, label, value))
    # A page type with plain-text fields of its own (a 办事指南's elements) names them, with their labels.
    own_fields = getattr(page, "checked_text_fields", None)
    if callable(own_fields):
        parts += [TextPart(name, label, text) for name, label, text in own_fields() if text]
    if hasattr(page, "body"):  # every block: rich text, tables, aligned paragraphs, images
        rich.append(("body", "正文", body_html(page.body)))
    attachments = getattr(page, "attachments", None)
    if attachments is not None:
        # Attachment text is extracted once, at upload (PDF, DOCX, XLSX, TXT), and stored; the
        # checks read that same text rather than parsing the files again.
        for attachment in attachments.all():
            document = attachment.document
            label = f"附件《{attachment.display_title}》"
            parts.append(TextPart("attachments", label, attachment.display_title))
            content = document_text(document)
            if content:
                parts.append(TextPart("attachments", label, content))
    return parts, rich


def check_completeness(page: Page) -> list[Finding]:
    findings = []
    if hasattr(page, "source") and not (page.source or "").strip():
        findings.append(
            Finding(
                "missing_source", BLOCKING, "source", "来源", "未填写来源", "", "", "填写发布机构或转载来源。"
            )
        )
    # A published article has its date: ArticlePage.save takes it from the first publication, and a
    # draft revision saved before that publication still reads None.
    if hasattr(page, "pub_date") and not page.pub_date and not page.first_published_at:
        findings.append(
            Finding(
                "missing_date", rules.WARNING, "pub_date", "发布日期", "未填写发布日期", "", "",
                "发布时将自动使用发布时间；如需其他日期请填写（发布后不可修改）。",
            )
        )  # fmt: skip
    return findings


def text_findings(parts: list[TextPart], word_rules: WordMatcher, leaders: list[Leader]) -> list[Finding]:
    """The word-list, leader and personal-data checks of the text parts: what a changed word list can
    newly find in pages published long ago (the nightly inspection runs these over every live page)."""
    findings: list[Finding] = []
    for part in parts:
        findings += check_words(part, word_rules)
        findings += check_leaders(part, leaders)
        findings += check_personal_data(part)
    return findings


def page_text_findings(page: Page, word_rules: WordMatcher, leaders: list[Leader]) -> list[Finding]:
    """`text_findings` of one page as it is (the live content, for a live page's row).

    The rich text is read as search reads it (`body.html_to_text`, a few regular expressions): the
    same words as the editor's parser finds, at a fifth of its cost, for scans of every page."""
    parts, rich = text_parts(page)
    parts += [TextPart(name, label, html_to_text(html)) for name, label, html in rich]
    return text_findings(parts, word_rules, leaders)


def run_checks(
    page: Page, link_checker: LinkChecker | None = None, site: Site | None = None
) -> list[Finding]:
    """All checks on one version of a page (pass `revision.as_object()` for a draft)."""
    site = site or site_of(page)
    if link_checker is None:
        link_checker = default_link_checker()
    word_rules, leaders = memo(
        ("checks-rules", site.pk if site else None), lambda: (word_matcher_for(site), leaders_for(site))
    )
    parts, rich = text_parts(page)
    findings: list[Finding] = []
    findings += check_completeness(page)
    for name, label, html in rich:
        scan = scan_rich_text(html)
        parts.append(TextPart(name, label, scan.text))
        findings += check_links(scan, name, label, site, link_checker)
        findings += check_accessibility(scan, name, label)
    findings += text_findings(parts, word_rules, leaders)
    # Checks of higher apps (e.g. a 政策文件 without its 解读, govsite.opengov), which this app may not
    # import: each function registered for `govsite_page_checks` gets (page, site), returns Findings.
    for page_check in hooks.get_hooks("govsite_page_checks"):
        findings += page_check(page, site)
    unique: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        unique.setdefault((finding.key, finding.context), finding)
    return sorted(unique.values(), key=lambda f: (f.severity != BLOCKING, f.field != "title", f.field))


def record_check(page: Page, revision: Any = None, findings: list[Finding] | None = None) -> list[Finding]:
    """Store the findings of `revision` (or of `page` as it is) for the editor and the workflow."""
    if findings is None:
        findings = run_checks(revision.as_object() if revision is not None else page)
    PageCheck.objects.update_or_create(
        page_id=page.pk,
        defaults={"revision": revision, "findings": [f.as_dict() for f in findings]},
    )
    return findings


def stored_findings(page: Page, revision_id: int | None) -> list[Finding] | None:
    """The stored findings of that revision, if they are still current (no rule changed since)."""
    stored = PageCheck.objects.filter(page_id=page.pk).first()
    if stored is None or revision_id is None or stored.revision_id != revision_id:
        return None
    site = site_of(page)
    changes = [
        WordRule.objects.filter(models.Q(site=site) | models.Q(site__isnull=True)),
        Leader.objects.filter(site=site),
    ]
    rules_changed = max((q.aggregate(m=models.Max("updated_at"))["m"] for q in changes), key=_ts)
    if rules_changed is None or rules_changed <= stored.checked_at:
        return [Finding.from_dict(item) for item in stored.findings]
    return None


def latest_findings(page: Page) -> list[Finding]:
    """Findings for the page's latest revision: stored if current, otherwise checked now."""
    revision = page.get_latest_revision()
    stored = stored_findings(page, revision.pk if revision else None)
    if stored is not None:
        return stored
    return record_check(page, revision) if revision else run_checks(page)


def starts_by_submission(task_state: TaskState) -> bool:
    """A review step started by a submission: the workflow's first step, or a step restarted when
    the author resubmits (重新提交) after it asked for changes; not a step an approval moved on to."""
    earlier = TaskState.objects.filter(workflow_state_id=task_state.workflow_state_id).exclude(
        pk=task_state.pk
    )
    if not earlier.exists():
        return True
    return bool(earlier.filter(task_id=task_state.task_id, status=TaskState.STATUS_REJECTED).exists())


def record_proofreading_report(task_state: TaskState, user: Any) -> ProofreadingReport | None:
    """Keep the findings of a page as submitted for review with that submission (校对报告).

    Pages only (other workflow objects have no checks). The findings are those the editor saw: the
    latest revision's, stored by its save, or checked now if a rule changed since.
    """
    workflow_state = task_state.workflow_state
    obj = workflow_state.content_object
    if not isinstance(obj, Page) or not starts_by_submission(task_state):
        return None
    page = obj.specific
    report: ProofreadingReport = ProofreadingReport.objects.create(
        page=page,
        workflow_state=workflow_state,
        revision=task_state.revision,
        submitted_by=user if getattr(user, "pk", None) else None,
        findings=[f.as_dict() for f in latest_findings(page)],
    )
    return report


def _ts(value: Any) -> float:
    return value.timestamp() if value else 0.0


def overridden_keys(page: Page) -> set[str]:
    return set(CheckOverride.objects.filter(page_id=page.pk).values_list("key", flat=True))


def unresolved_blocking(page: Page, findings: list[Finding] | None = None) -> list[Finding]:
    """Blocking findings nobody has overridden: while any remain, the page cannot be published."""
    if findings is None:
        findings = latest_findings(page)
    return _unresolved(findings, overridden_keys(page))


def _unresolved(findings: list[Finding], allowed: set[str]) -> list[Finding]:
    return [f for f in findings if f.blocking and f.key not in allowed]


def blocking_counts(pages: list[Page]) -> dict[int, int]:
    """How many unresolved blocking findings each page's latest revision has (for lists, dashboards).

    The same answer as `unresolved_blocking` for each page, in four queries for the whole list when
    the stored findings are current; a page whose stored check is out of date is checked again.
    """
    ids = [page.pk for page in pages]
    stored = {check.page_id: check for check in PageCheck.objects.filter(page_id__in=ids)}
    allowed: dict[int, set[str]] = {}
    for page_id, key in CheckOverride.objects.filter(page_id__in=ids).values_list("page_id", "key"):
        allowed.setdefault(page_id, set()).add(key)
    # Any rule changed after a check makes that check stale (stored_findings does the same per site).
    rules_changed = max(
        (
            q.aggregate(m=models.Max("updated_at"))["m"]
            for q in (WordRule.objects.all(), Leader.objects.all())
        ),
        key=_ts,
    )
    counts = {}
    for page in pages:
        check = stored.get(page.pk)
        if (
            check is not None
            and check.revision_id == page.latest_revision_id
            and (rules_changed is None or rules_changed <= check.checked_at)
        ):
            findings = [Finding.from_dict(item) for item in check.findings]
        else:
            findings = latest_findings(page)
        counts[page.pk] = len(_unresolved(findings, allowed.get(page.pk, set())))
    return counts


def log_checks_blocked(page: Page, user: Any, findings: list[Finding], attempted: str) -> None:
    log(
        instance=page,
        action="govsite.checks.blocked",
        user=user,
        data={"attempted": attempted, "findings": [f"{f.field_label}：{f.message}" for f in findings][:20]},
    )


def can_override(page: Page, user: Any) -> bool:
    """放行 needs the permission and a say over this page: its publisher or its current reviewer."""
    if not user.has_perm(OVERRIDE_PERMISSION):
        return False
    revision = page.get_latest_revision()
    if revision and revision.user_id == user.pk and not user.is_superuser:
        return False  # nobody waves through their own text
    if page.permissions_for_user(user).can_publish():
        return True
    task = page.current_workflow_task  # a reviewer of the current step (三审, or any workflow task)
    return bool(task and task.specific.user_can_access_editor(page, user))


@transaction.atomic
def override_findings(page: Page, user: Any, keys: list[str], reason: str) -> list[CheckOverride]:
    """Record that `user` lets these blocking findings through, with `reason` (audit logged)."""
    if not can_override(page, user):
        raise PermissionDenied("没有放行检查问题的权限。")
    if not reason.strip():
        raise ValidationError("请填写放行理由。")
    by_key = {f.key: f for f in latest_findings(page) if f.blocking}
    created = []
    for key in keys:
        finding = by_key.get(key)
        if finding is None:
            continue
        override, _ = CheckOverride.objects.update_or_create(
            page=page, key=key, defaults={"message": finding.message[:400], "reason": reason, "user": user}
        )
        created.append(override)
    if created:
        log(
            instance=page,
            action="govsite.checks.override",
            user=user,
            data={"reason": reason, "findings": [o.message for o in created]},
        )
    return created
