"""Give a department site its 三审 workflow: reviewer groups, review steps, who may publish."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from govsite.sites.provisioning import COLLECTION_PERMISSIONS, provision_department

from .models import ANY_ONE, ReviewTask, SiteWorkflow

DEFAULT_STEPS = ("初审", "复审", "终审")
PUBLISHER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
# (app label, codename) of what publishers may do beyond publishing.
PUBLISHER_PERMISSIONS = (("govsite_checks", "override_checks"), ("govsite_workflow", "urgent_publish"))


@dataclass
class ReviewSetup:
    site_workflow: SiteWorkflow
    step_groups: dict[str, Group]


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def department_groups(site_workflow: SiteWorkflow) -> list[Group]:
    """The groups a site administrator may assign to review steps: the department's own."""
    groups = Group.objects.filter(name__startswith=f"{site_workflow.department}-")
    return list(groups.filter(column_editor__isnull=True).order_by("name"))  # not 栏目授权's own groups


class ReviewStep(NamedTuple):
    """A review step as a site administrator sets it: name, reviewing group, 审核方式."""

    name: str
    group: Group
    mode: str = ANY_ONE


@transaction.atomic
def set_review_steps(
    site_workflow: SiteWorkflow,
    steps: Iterable[ReviewStep | tuple[str, Group]],
    workflow: Workflow | None = None,
) -> None:
    """Replace the steps of a site's workflow (or of `workflow`, a column's) with `steps`, in order."""
    workflow = workflow or site_workflow.workflow
    current = list(WorkflowTask.objects.filter(workflow=workflow).order_by("sort_order"))
    wanted = [ReviewStep(*step) for step in steps]
    for index, (name, group, mode) in enumerate(wanted):
        task_name = f"{site_workflow.department}-{name}"
        if index < len(current):
            task = current[index].task.specific
            task.name = task_name
            task.active = True
            task.approval_mode = mode
            task.save()
        else:
            task = ReviewTask.objects.create(name=task_name, approval_mode=mode)
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=index)
        task.groups.set([group])
    for extra in current[len(wanted) :]:
        task = extra.task.specific
        extra.delete()
        task.deactivate()  # cancels reviews in progress on a removed step


@transaction.atomic
def provision_review(site: Site, short_name: str) -> ReviewSetup:
    """Create (or complete) the 三审 workflow of the department that runs `site`.

    Editors write and submit; 初审 and 复审 reviewers approve or send back; the 终审 group and the
    site administrators publish, may publish urgently and may override check findings.
    Idempotent: steps a site administrator has changed are left as they are.
    """
    department = provision_department(site, short_name)
    access_admin = _permission("wagtailadmin", "access_admin")
    groups: dict[str, Group] = {}
    for step in DEFAULT_STEPS:
        group, _ = Group.objects.get_or_create(name=f"{short_name}-{step}")
        group.permissions.add(access_admin)
        for app_label, codenames in COLLECTION_PERMISSIONS.items():
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=department.collection, permission=_permission(app_label, codename)
                )
        groups[step] = group

    publishers = (groups["终审"], department.site_admins)
    for group in publishers:
        for codename in PUBLISHER_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=site.root_page, permission=_permission("wagtailcore", codename)
            )
        for app_label, codename in PUBLISHER_PERMISSIONS:
            group.permissions.add(_permission(app_label, codename))
    # Site administrators keep their site's 错敏词库 and 领导 list.
    for model in ("wordrule", "leader"):
        for verb in ("add", "change", "delete", "view"):
            department.site_admins.permissions.add(_permission("govsite_checks", f"{verb}_{model}"))
    # ... and decide which 热词 the public sees on their site's search page.
    for verb in ("add", "change", "delete", "view"):
        department.site_admins.permissions.add(_permission("govsite_search", f"{verb}_hotword"))
    # Under 三审 editors submit for review; publishing is for the final reviewers.
    GroupPagePermission.objects.filter(group=department.editors, permission__codename="publish_page").delete()

    site_workflow = SiteWorkflow.objects.filter(site=site).first()
    if site_workflow is None:
        workflow = Workflow.objects.create(name=f"{short_name}三审")
        site_workflow = SiteWorkflow.objects.create(site=site, department=short_name, workflow=workflow)
        set_review_steps(site_workflow, [(step, groups[step]) for step in DEFAULT_STEPS])
    WorkflowPage.objects.update_or_create(page=site.root_page, defaults={"workflow": site_workflow.workflow})
    return ReviewSetup(site_workflow=site_workflow, step_groups=groups)


def can_publish_under(group: Group, page: Page) -> bool:
    """Whether `group` may publish the pages under `page`: the last step of a chain must."""
    rights = GroupPagePermission.objects.filter(
        group=group, permission__codename="publish_page", page__in=page.get_ancestors(inclusive=True)
    )
    return bool(rights.exists())


# --- a column's own review chain (Wagtail assigns workflows to page subtrees: WorkflowPage) --------
def column_workflow(column: Page) -> Workflow | None:
    """The chain assigned to `column` itself (not inherited), if it has one."""
    link = WorkflowPage.objects.filter(page=column).select_related("workflow").first()
    return link.workflow if link else None


@transaction.atomic
def set_column_steps(site_workflow: SiteWorkflow, column: Page, steps: Iterable[ReviewStep]) -> Workflow:
    """Give `column` (and the pages under it) a review chain of its own, replacing any it had."""
    workflow = column_workflow(column)
    if workflow is None:
        workflow = Workflow.objects.create(name=f"{site_workflow.department}-{column.title}审核")
        WorkflowPage.objects.create(page=column, workflow=workflow)
    set_review_steps(site_workflow, steps, workflow=workflow)
    return workflow


@transaction.atomic
def remove_column_steps(column: Page) -> None:
    """The column goes back to the chain of its parent (usually the site's); open reviews are cancelled."""
    workflow = column_workflow(column)
    if workflow is None:
        return
    workflow.deactivate()  # also unassigns it from the column
    for task in workflow.tasks.all():
        task.deactivate()
