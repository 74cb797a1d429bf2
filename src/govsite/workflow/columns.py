"""栏目授权: which columns of its site an editor may write in.

Wagtail's own rule decides: an editor's rights come from GroupPagePermission rows, and a right on a
column covers the pages under it. A department's editors group holds its rights on the site's home
page (every column). An editor limited to some columns leaves that group for a group of their own
(`ColumnEditor`) with the same rights, granted on the chosen columns only; the explorer, the
choosers, the add and edit views then refuse the other columns without any code of ours.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import QuerySet
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page

from govsite.content.models import ColumnPage

from .models import ColumnEditor, SiteWorkflow

# Columns listed for 栏目授权 and 栏目审核流程: the home page's columns and theirs (two levels).
COLUMN_LEVELS = 2


def editors_group(site_workflow: SiteWorkflow) -> Group:
    group, _ = Group.objects.get_or_create(name=f"{site_workflow.department}-编辑")
    return group


def site_columns(site_workflow: SiteWorkflow) -> list[ColumnPage]:
    """The site's columns, in tree order (their `depth` shows the nesting)."""
    root = site_workflow.site.root_page
    return list(
        ColumnPage.objects.descendant_of(root).filter(depth__lte=root.depth + COLUMN_LEVELS).order_by("path")
    )


def site_editors(site_workflow: SiteWorkflow) -> QuerySet[Any]:
    """The site's editors: its editors group and the editors limited to some of its columns."""
    limited = ColumnEditor.objects.filter(site=site_workflow.site).values("user")
    users = get_user_model().objects.filter(is_active=True)
    return (
        (users.filter(groups=editors_group(site_workflow)) | users.filter(pk__in=limited))
        .distinct()
        .order_by("username")
    )


def editor_columns(site_workflow: SiteWorkflow, user: Any) -> set[int] | None:
    """The ids of the columns `user` may write in, or None for every column of the site."""
    record = ColumnEditor.objects.filter(site=site_workflow.site, user=user).first()
    if record is None:
        return None
    return set(GroupPagePermission.objects.filter(group=record.group).values_list("page_id", flat=True))


def _copy_editor_rights(source: Group, target: Group, columns: list[Page], site_root: Page) -> None:
    """`target` gets `source`'s rights, with its rights on the site's home page moved to `columns`."""
    target.permissions.set(source.permissions.all())
    GroupCollectionPermission.objects.filter(group=target).delete()
    GroupCollectionPermission.objects.bulk_create(
        GroupCollectionPermission(
            group=target, collection_id=row.collection_id, permission_id=row.permission_id
        )
        for row in GroupCollectionPermission.objects.filter(group=source)
    )
    GroupPagePermission.objects.filter(group=target).delete()
    page_rights = GroupPagePermission.objects.filter(group=source, page=site_root).values_list(
        "permission_id", flat=True
    )
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group=target, page=column, permission_id=permission_id)
        for column in columns
        for permission_id in page_rights
    )


@transaction.atomic
def set_editor_columns(site_workflow: SiteWorkflow, user: Any, columns: list[Page] | None) -> None:
    """Limit `user` to `columns` of the site, or (None) give them every column again."""
    editors = editors_group(site_workflow)
    record = ColumnEditor.objects.filter(site=site_workflow.site, user=user).select_related("group").first()
    if columns is None:
        user.groups.add(editors)
        if record is not None:
            record.group.delete()  # cascades to the record and the group's rights
        return
    if record is None:
        group, _ = Group.objects.get_or_create(
            name=f"{site_workflow.department}-栏目编辑-{user.get_username()}"
        )
        record = ColumnEditor.objects.create(site=site_workflow.site, user=user, group=group)
    _copy_editor_rights(editors, record.group, columns, site_workflow.site.root_page)
    user.groups.remove(editors)
    user.groups.add(record.group)
