"""Admin views for 三审: my reviews, urgent publish, 联合发布 and each site's review steps.
(撤稿 and 文件效力 are the content app's: govsite.content.views.)"""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.log_actions import log
from wagtail.models import Page, Site, TaskState, Workflow

from govsite.checks.services import latest_findings, unresolved_blocking
from govsite.content.models import ColumnPage

from . import actions
from .columns import editor_columns, set_editor_columns, site_columns, site_editors
from .models import ANY_ONE, APPROVAL_MODES, Release, SiteWorkflow, admin_sites
from .provisioning import (
    ReviewStep,
    can_publish_under,
    column_workflow,
    department_groups,
    remove_column_steps,
    set_column_steps,
    set_review_steps,
)


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
    mode = forms.ChoiceField(
        label="审核方式",
        choices=APPROVAL_MODES,
        required=False,
        help_text="全部审核通过：组内每位成员（作者本人除外）都批准后，本步骤才完成。",
    )

    def __init__(self, *args: Any, groups: list[Group], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Group]", self.fields["group"]).queryset = Group.objects.filter(
            pk__in=[g.pk for g in groups]
        )


StepFormSet = forms.formset_factory(
    StepForm, extra=1, can_delete=True, min_num=1, validate_min=True, max_num=6
)


def _site_workflow_for(request: HttpRequest, site_id: int) -> SiteWorkflow:
    """The review setup of a site the user administers (another department's: 403)."""
    site = get_object_or_404(Site, pk=site_id)
    if site not in admin_sites(request.user):
        raise PermissionDenied
    return get_object_or_404(SiteWorkflow.objects.select_related("site"), site=site)


def _steps_formset(request: HttpRequest, site_workflow: SiteWorkflow, workflow: Workflow | None) -> Any:
    """The steps of `workflow` as a formset (a column without its own chain: one empty step)."""
    links = workflow.workflow_tasks.filter(task__active=True).order_by("sort_order") if workflow else []
    tasks = [link.task.specific for link in links]
    initial = [
        {
            "name": t.name.removeprefix(f"{site_workflow.department}-"),
            "group": t.groups.first(),
            "mode": t.approval_mode,
        }
        for t in tasks
    ]
    return StepFormSet(
        request.POST or None, initial=initial, form_kwargs={"groups": department_groups(site_workflow)}
    )


def _posted_steps(formset: Any) -> list[ReviewStep]:
    return [
        ReviewStep(f.cleaned_data["name"], f.cleaned_data["group"], f.cleaned_data.get("mode") or ANY_ONE)
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def _steps_problem(steps: list[ReviewStep], page: Page) -> str | None:
    """Why `steps` cannot review the pages under `page` (None: they can)."""
    if not steps:
        return "至少需要一个审核步骤。"
    last = steps[-1].group
    if not can_publish_under(last, page):
        return f"最后一步审核通过即发布，但用户组“{last.name}”没有发布权限：请选择终审组或网站管理员组。"
    return None


def _log_steps(request: HttpRequest, workflow: Workflow, steps: list[ReviewStep]) -> None:
    log(
        instance=workflow,
        action="govsite.workflow.steps",
        user=request.user,
        data={"steps": [f"{step.name}（{step.group.name}）" for step in steps]},
    )


def review_steps(request: HttpRequest, site_id: int) -> HttpResponse:
    site_workflow = _site_workflow_for(request, site_id)
    site = site_workflow.site
    formset = _steps_formset(request, site_workflow, site_workflow.workflow)
    if request.method == "POST" and formset.is_valid():
        steps = _posted_steps(formset)
        problem = _steps_problem(steps, site.root_page)
        if problem is None:
            set_review_steps(site_workflow, steps)
            _log_steps(request, site_workflow.workflow, steps)
            messages.success(request, f"{site.site_name} 的审核流程已更新：共 {len(steps)} 个审核步骤。")
            return redirect("govsite_workflow:steps", site.pk)
        messages.error(request, problem)
    column_chains = [
        {"column": column, "workflow": column_workflow(column)} for column in site_columns(site_workflow)
    ]
    return TemplateResponse(
        request,
        "workflow/review_steps.html",
        {"site": site, "formset": formset, "site_workflow": site_workflow, "columns": column_chains},
    )


def _site_column(site_workflow: SiteWorkflow, page_id: int) -> ColumnPage:
    """A column of the site, loaded by id: any other page (another site's too) is not found."""
    column = next((c for c in site_columns(site_workflow) if c.pk == page_id), None)
    if column is None:
        raise Http404("栏目不存在或不属于本网站。")
    return column


def column_steps(request: HttpRequest, site_id: int, page_id: int) -> HttpResponse:
    """A column's own review chain (for it and the pages under it), or back to the site's."""
    site_workflow = _site_workflow_for(request, site_id)
    column = _site_column(site_workflow, page_id)
    if request.method == "POST" and "remove" in request.POST:
        remove_column_steps(column)
        log(instance=column, action="govsite.workflow.steps", user=request.user, data={"steps": []})
        messages.success(request, f"栏目“{column.title}”已恢复使用网站的审核流程。")
        return redirect("govsite_workflow:steps", site_workflow.site.pk)
    workflow = column_workflow(column)
    formset = _steps_formset(request, site_workflow, workflow)
    if request.method == "POST" and formset.is_valid():
        steps = _posted_steps(formset)
        problem = _steps_problem(steps, column)
        if problem is None:
            workflow = set_column_steps(site_workflow, column, steps)
            _log_steps(request, workflow, steps)
            messages.success(request, f"栏目“{column.title}”的审核流程已更新：共 {len(steps)} 个审核步骤。")
            return redirect("govsite_workflow:steps", site_workflow.site.pk)
        messages.error(request, problem)
    return TemplateResponse(
        request,
        "workflow/review_steps.html",
        {
            "site": site_workflow.site,
            "formset": formset,
            "site_workflow": site_workflow,
            "column": column,
            "column_workflow": workflow,
        },
    )


# --- 栏目授权: which columns each editor of the site may write in -----------------------------------
def _posted_ids(request: HttpRequest, name: str) -> list[int] | None:
    """The ids posted under `name`, or None when one is not a number."""
    values = request.POST.getlist(name)
    return [int(v) for v in values] if all(v.isdigit() for v in values) else None


def _save_column_grants(request: HttpRequest, site_workflow: SiteWorkflow) -> str | None:
    """Apply the posted grants; return the (Chinese) reason when nothing could be saved."""
    editors = {user.pk: user for user in site_editors(site_workflow)}
    columns = {column.pk: column for column in site_columns(site_workflow)}
    user_ids = _posted_ids(request, "editor")
    if not user_ids:
        return "没有可保存的编辑。"
    grants: dict[int, list[Page] | None] = {}
    for user_id in user_ids:
        if user_id not in editors:
            return f"用户（编号 {user_id}）不是本网站的编辑，不能为其授权栏目。"
        column_ids = _posted_ids(request, f"columns-{user_id}")
        if column_ids is None or any(pk not in columns for pk in column_ids):
            return "所选栏目不属于本网站。"
        if request.POST.get(f"all-{user_id}"):
            grants[user_id] = None
        elif not column_ids:
            return f"请为“{editors[user_id].get_username()}”至少选择一个栏目，或勾选“全部栏目”。"
        else:
            grants[user_id] = [columns[pk] for pk in column_ids]
    for user_id, chosen in grants.items():
        set_editor_columns(site_workflow, editors[user_id], chosen)
    log(
        instance=site_workflow.workflow,
        action="govsite.workflow.columns",
        user=request.user,
        data={
            editors[uid].get_username(): "全部栏目" if chosen is None else "、".join(c.title for c in chosen)
            for uid, chosen in grants.items()
        },
    )
    return None


def column_permissions(request: HttpRequest, site_id: int) -> HttpResponse:
    site_workflow = _site_workflow_for(request, site_id)
    if request.method == "POST":
        problem = _save_column_grants(request, site_workflow)
        if problem is None:
            messages.success(request, "栏目授权已保存。")
            return redirect("govsite_workflow:columns", site_workflow.site.pk)
        messages.error(request, "栏目授权未保存：" + problem)
    columns = site_columns(site_workflow)
    top = site_workflow.site.root_page.depth + 1
    rows = []
    for user in site_editors(site_workflow):
        allowed = editor_columns(site_workflow, user)
        rows.append(
            {
                "user": user,
                "all": allowed is None,
                "columns": [
                    {"column": c, "checked": allowed is not None and c.pk in allowed, "nested": c.depth > top}
                    for c in columns
                ],
            }
        )
    return TemplateResponse(
        request,
        "workflow/column_permissions.html",
        {"site": site_workflow.site, "rows": rows},
        status=400 if request.method == "POST" else 200,
    )


def site_list(request: HttpRequest, target: str = "steps") -> HttpResponse:
    """The sites the user administers, for 审核流程设置 or (target "columns") 栏目授权."""
    sites = [s for s in admin_sites(request.user) if SiteWorkflow.objects.filter(site=s).exists()]
    if len(sites) == 1:
        return redirect(f"govsite_workflow:{target}", sites[0].pk)
    return TemplateResponse(
        request,
        "workflow/site_list.html",
        {"sites": sites, "target": f"govsite_workflow:{target}", "heading": SITE_LIST_HEADINGS[target]},
    )


SITE_LIST_HEADINGS = {"steps": "审核流程设置", "columns": "栏目授权"}


app_name = "govsite_workflow"
urlpatterns = [
    path("reviews/", my_reviews, name="my_reviews"),
    path("pages/<int:page_id>/urgent/", urgent_publish, name="urgent"),
    path("releases/", releases, name="releases"),
    path("sites/", site_list, name="sites"),
    path("sites/<int:site_id>/steps/", review_steps, name="steps"),
    path("sites/<int:site_id>/columns/<int:page_id>/steps/", column_steps, name="column_steps"),
    path("column-permissions/", site_list, {"target": "columns"}, name="column_sites"),
    path("sites/<int:site_id>/column-permissions/", column_permissions, name="columns"),
]


def url(name: str, *args: Any) -> str:
    return reverse(f"govsite_workflow:{name}", args=args)
