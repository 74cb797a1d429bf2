"""The check results of a page (发布前检查结果), recording overrides (放行), the 校对报告 kept with each
submission for review, and the 错敏词库's Excel import and export."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from wagtail.models import Page, Site

from govsite.sites.models import admin_sites

from .models import ProofreadingReport, WordRule
from .rules import Finding
from .services import can_override, latest_findings, overridden_keys, override_findings
from .spreadsheet import MAX_BYTES, ImportRejected, export_rules, import_rules


def _page_for(request: HttpRequest, page_id: int) -> Page:
    """The page, if the user may edit it or reviews its current workflow step."""
    page = get_object_or_404(Page, pk=page_id).specific
    if page.permissions_for_user(request.user).can_edit():
        return page
    task = page.current_workflow_task
    if task and task.specific.user_can_access_editor(page, request.user):
        return page
    raise PermissionDenied


class OverrideForm(forms.Form):
    keys = forms.MultipleChoiceField(label="放行的问题", widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label="放行理由", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["keys"]).choices = choices


def page_checks(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _page_for(request, page_id)
    findings = latest_findings(page)
    allowed = overridden_keys(page)
    if request.GET.get("format") == "json":
        return JsonResponse({"findings": [{**f.as_dict(), "overridden": f.key in allowed} for f in findings]})
    may_override = can_override(page, request.user)
    choices = [
        (f.key, f"{f.field_label}：{f.message}") for f in findings if f.blocking and f.key not in allowed
    ]
    form = OverrideForm(request.POST or None, choices=choices)
    if request.method == "POST":
        if not may_override:
            raise PermissionDenied
        if form.is_valid():
            override_findings(page, request.user, form.cleaned_data["keys"], form.cleaned_data["reason"])
            messages.success(request, "已记录放行决定。")
            return redirect("govsite_checks:page", page.pk)
    return TemplateResponse(
        request,
        "checks/page_checks.html",
        {
            "page": page,
            "findings": findings,
            "overridden": allowed,
            "form": form if may_override and choices else None,
            "reports": page.proofreading_reports.select_related("submitted_by")[:20],
        },
    )


# --- 校对报告: the findings kept with each submission for review -----------------------------------
def proofreading_report(request: HttpRequest, report_id: int) -> HttpResponse:
    """One report, for whoever may see the page's check results (its editors, its current reviewers)."""
    report = get_object_or_404(ProofreadingReport.objects.select_related("submitted_by"), pk=report_id)
    page = _page_for(request, report.page_id)
    findings = [Finding.from_dict(item) for item in report.findings]
    return TemplateResponse(
        request,
        "checks/proofreading_report.html",
        {
            "page": page,
            "report": report,
            "findings": findings,
            "blocking": len([f for f in findings if f.blocking]),
        },
    )


# --- 错敏词库: Excel export and import ---------------------------------------------------------------
PLATFORM = "platform"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _word_library_sites(request: HttpRequest, *permissions: str) -> list[Site]:
    """The sites whose 错敏词库 the user keeps (every site for platform administrators), or 403."""
    user = request.user
    if not all(user.has_perm(f"govsite_checks.{codename}_wordrule") for codename in permissions):
        raise PermissionDenied
    sites = admin_sites(user)
    if not sites and not user.is_superuser:
        raise PermissionDenied
    return sites


def word_rules_export(request: HttpRequest) -> HttpResponse:
    """The user's sites' rules and the platform rules as .xlsx; ?site=<id> (or platform) for one list."""
    sites = _word_library_sites(request, "view")
    chosen = request.GET.get("site", "")
    if chosen == PLATFORM:
        scope = Q(site__isnull=True)
    elif chosen:
        site = next((s for s in sites if str(s.pk) == chosen), None)
        if site is None:
            raise PermissionDenied  # another department's site, or none at all
        scope = Q(site=site) | Q(site__isnull=True)
    elif request.user.is_superuser:
        scope = Q()
    else:
        scope = Q(site__in=sites) | Q(site__isnull=True)
    rules = (
        WordRule.objects.filter(scope).select_related("site").order_by("site__hostname", "category", "word")
    )
    response = HttpResponse(export_rules(rules), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="word-rules.xlsx"'
    return response


class WordImportForm(forms.Form):
    target = forms.ChoiceField(label="导入到")
    file = forms.FileField(label="Excel 文件（.xlsx）")

    def __init__(self, *args: Any, sites: list[Site], platform: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(PLATFORM, "全平台（适用于所有网站）")] if platform else []
        choices += [(str(site.pk), f"{site.site_name or site.hostname}（{site.hostname}）") for site in sites]
        cast(forms.ChoiceField, self.fields["target"]).choices = choices

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"文件超过 {MAX_BYTES // 1024 // 1024} MB，请拆分后分批导入。")
        return upload


def word_rules_import(request: HttpRequest) -> HttpResponse:
    """Import a workbook into one of the user's sites (the platform list: platform administrators only)."""
    sites = _word_library_sites(request, "add", "change")
    form = WordImportForm(
        request.POST or None, request.FILES or None, sites=sites, platform=request.user.is_superuser
    )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        site = None if target == PLATFORM else next(s for s in sites if str(s.pk) == target)
        try:
            result = import_rules(form.cleaned_data["file"].read(), site)
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            skipped = f"，跳过其他站点的 {len(result.skipped)} 行" if result.skipped else ""
            messages.success(
                request, f"已导入：新增 {result.created} 条，更新 {result.updated} 条{skipped}。"
            )
            return redirect("wagtailsnippets_govsite_checks_wordrule:list")
    return TemplateResponse(
        request,
        "checks/word_rules_import.html",
        {"form": form, "errors": errors[:200], "error_count": len(errors)},
    )


app_name = "govsite_checks"
urlpatterns = [
    path("pages/<int:page_id>/", page_checks, name="page"),
    path("reports/<int:report_id>/", proofreading_report, name="report"),
    path("words/export/", word_rules_export, name="words_export"),
    path("words/import/", word_rules_import, name="words_import"),
]
