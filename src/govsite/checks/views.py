"""The check results of a page (发布前检查结果) and recording overrides (放行)."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from wagtail.models import Page

from .services import can_override, latest_findings, overridden_keys, override_findings


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
        },
    )


app_name = "govsite_checks"
urlpatterns = [path("pages/<int:page_id>/", page_checks, name="page")]
