"""Admin views for 三审: my reviews, urgent publish, 联合发布 and each site's review steps.
(撤稿 and 文件效力 are the content app's: govsite.content.views.)"""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.models import Page, Site, TaskState

from govsite.checks.services import latest_findings, unresolved_blocking

from . import actions
from .models import Release, SiteWorkflow, admin_sites
from .provisioning import department_groups, set_review_steps


def _page_for(request: HttpRequest, page_id: int) -> Page:
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit() and not actions.is_reviewer_of(
        page, request.user
    ):
        raise PermissionDenied
    return page


# --- 我的待审: one list across every site the user reviews -------------------------------------
def my_reviews(request: HttpRequest) -> HttpResponse:
    done = request.GET.get("done", "")
    if done.isdigit():  # back from a 批准 / 退回: say what it did (ReviewTask.on_action sends them here)
        decided = Page.objects.filter(pk=int(done)).first()
        outcome = actions.review_outcome(decided, request.user) if decided else ""
        if outcome:
            messages.success(request, outcome)
        return redirect("govsite_workflow:my_reviews")
    states = (
        TaskState.objects.reviewable_by(request.user)
        .select_related("workflow_state", "task", "revision", "workflow_state__requested_by")
        .order_by("-started_at")
    )
    rows = []
    for state in states:
        page = state.workflow_state.content_object
        if not isinstance(page, Page):
            continue
        site = page.get_site()
        findings = latest_findings(page.specific)
        rows.append(
            {
                "page": page,
                "site": site.site_name if site else "",
                "task": state.task.name,
                "submitted_by": state.workflow_state.requested_by,
                "started_at": state.started_at,
                "own": state.task.specific.get_actions(page, request.user) == [],
                "blocking": len(unresolved_blocking(page, findings)),
                "warnings": len([f for f in findings if not f.blocking]),
            }
        )
    return TemplateResponse(
        request,
        "workflow/my_reviews.html",
        {"rows": rows, "urgent": actions.pending_urgent_reviews(request.user)},
    )


# --- 紧急发布 ------------------------------------------------------------------------------------
class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


def urgent_publish(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _page_for(request, page_id)
    if not actions.can_urgent_publish(page, request.user):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.urgent_publish(page, request.user, form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, "不能紧急发布：" + "；".join(exc.messages))
            return redirect("govsite_checks:page", page.pk)
        messages.success(request, f"《{page.title}》已紧急发布，已生成补审任务，请审核人员尽快完成审核。")
        return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(request, "workflow/urgent_publish.html", {"page": page, "form": form})


# --- 联合发布 ------------------------------------------------------------------------------------
class ReleaseForm(forms.Form):
    title = forms.CharField(label="名称", max_length=100, help_text="如：某某政策发布（文件、解读、新闻）")
    go_live_at = forms.DateTimeField(label="发布时间", widget=AdminDateTimeInput)
    pages = forms.ModelMultipleChoiceField(
        label="稿件", queryset=Page.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        candidates = Page.objects.filter(has_unpublished_changes=True, depth__gt=2).order_by(
            "-latest_revision_created_at"
        )
        cast("forms.ModelMultipleChoiceField[Page]", self.fields["pages"]).queryset = Page.objects.filter(
            pk__in=[p.pk for p in candidates[:300] if actions.can_publish(p, user)]
        ).order_by("-latest_revision_created_at")


def releases(request: HttpRequest) -> HttpResponse:
    form = ReleaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            release = actions.schedule_release(
                data["title"], data["go_live_at"], list(data["pages"]), request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"联合发布“{release.title}”已安排：{len(data['pages'])} 篇稿件将于 "
                f"{timezone.localtime(release.go_live_at):%Y-%m-%d %H:%M} 同时发布。",
            )
            return redirect("govsite_workflow:releases")
    upcoming = Release.objects.filter(go_live_at__gte=timezone.now()).prefetch_related("pages")
    visible = [
        r
        for r in upcoming
        if request.user.is_superuser or r.site in admin_sites(request.user) or r.user_id == request.user.pk
    ]
    return TemplateResponse(request, "workflow/releases.html", {"form": form, "releases": visible})


# --- 审核流程设置 (per site, by its administrators) ---------------------------------------------
class StepForm(forms.Form):
    name = forms.CharField(label="步骤名称", max_length=20)
    group = forms.ModelChoiceField(label="审核用户组", queryset=Group.objects.none())

    def __init__(self, *args: Any, groups: list[Group], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Group]", self.fields["group"]).queryset = Group.objects.filter(
            pk__in=[g.pk for g in groups]
        )


StepFormSet = forms.formset_factory(
    StepForm, extra=1, can_delete=True, min_num=1, validate_min=True, max_num=6
)


def review_steps(request: HttpRequest, site_id: int) -> HttpResponse:
    site = get_object_or_404(Site, pk=site_id)
    if site not in admin_sites(request.user):
        raise PermissionDenied
    site_workflow = get_object_or_404(SiteWorkflow, site=site)
    groups = department_groups(site_workflow)
    tasks = [wt.task.specific for wt in site_workflow.workflow.workflow_tasks.order_by("sort_order")]
    initial = [
        {"name": t.name.removeprefix(f"{site_workflow.department}-"), "group": t.groups.first()}
        for t in tasks
    ]
    formset = StepFormSet(request.POST or None, initial=initial, form_kwargs={"groups": groups})
    if request.method == "POST" and formset.is_valid():
        steps = [
            (f.cleaned_data["name"], f.cleaned_data["group"])
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if steps:
            set_review_steps(site_workflow, steps)
            from wagtail.log_actions import log

            log(
                instance=site_workflow.workflow,
                action="govsite.workflow.steps",
                user=request.user,
                data={"steps": [f"{name}（{group.name}）" for name, group in steps]},
            )
            messages.success(request, f"{site.site_name} 的审核流程已更新：共 {len(steps)} 个审核步骤。")
            return redirect("govsite_workflow:steps", site.pk)
        messages.error(request, "至少需要一个审核步骤。")
    return TemplateResponse(
        request,
        "workflow/review_steps.html",
        {"site": site, "formset": formset, "site_workflow": site_workflow},
    )


def site_list(request: HttpRequest) -> HttpResponse:
    sites = [s for s in admin_sites(request.user) if SiteWorkflow.objects.filter(site=s).exists()]
    if len(sites) == 1:
        return redirect("govsite_workflow:steps", sites[0].pk)
    return TemplateResponse(request, "workflow/site_list.html", {"sites": sites})


app_name = "govsite_workflow"
urlpatterns = [
    path("reviews/", my_reviews, name="my_reviews"),
    path("pages/<int:page_id>/urgent/", urgent_publish, name="urgent"),
    path("releases/", releases, name="releases"),
    path("sites/", site_list, name="sites"),
    path("sites/<int:site_id>/steps/", review_steps, name="steps"),
]


def url(name: str, *args: Any) -> str:
    return reverse(f"govsite_workflow:{name}", args=args)
