"""Receivers of the opengov app: 索引号 at first publication, the site administrators' right to the
site's 政务公开设置."""

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.models import GroupSitePermission, Page, Site
from wagtail.signals import page_published

from govsite.checks.models import PageCheck
from govsite.checks.services import record_check
from govsite.sites.signals import department_provisioned

from .models import CatalogueEntry, OpenGovSettings
from .numbering import allocate_index_number
from .provisioning import provision_open_government
from .relations import NO_INTERPRETATION


@receiver(page_published, dispatch_uid="govsite_opengov_index_number")
def on_page_published(sender: Any, instance: Page, **kwargs: Any) -> None:
    """Every path that makes a page live sends page_published: the catalogue item gets its 索引号
    before the publisher (after commit) renders it."""
    allocate_index_number(instance)


@receiver(department_provisioned, dispatch_uid="govsite_opengov_site_admins")
def on_department_provisioned(sender: Any, site: Site, short_name: str, **kwargs: Any) -> None:
    """The department's 网站管理员 maintain its 政务公开设置 (统一社会信用代码, 索引号规则)."""
    site_admins = Group.objects.filter(name=f"{short_name}-网站管理员").first()
    if site_admins is None:
        return
    setting_type = ContentType.objects.get_for_model(OpenGovSettings)
    change = Permission.objects.get(content_type=setting_type, codename="change_opengovsettings")
    GroupSitePermission.objects.get_or_create(group=site_admins, site=site, permission=change)


@receiver(department_provisioned, dispatch_uid="govsite_opengov_statutory_tree")
def on_department_provisioned_open_government(sender: Any, site: Site, **kwargs: Any) -> None:
    """Every department site starts with its 法定主动公开内容 tree (provisioning.py)."""
    provision_open_government(site)


@receiver(post_save, sender=CatalogueEntry, dispatch_uid="govsite_opengov_recheck_policy")
def on_interpretation_saved(sender: Any, instance: CatalogueEntry, raw: bool = False, **kwargs: Any) -> None:
    """An interpretation now names its policy: the policy's stored warning “尚无政策解读” is stale,
    so its latest revision is checked again (the editor and the reviewers read stored findings)."""
    policy_id = instance.interprets_id
    if raw or not policy_id:
        return

    def recheck() -> None:
        check = PageCheck.objects.filter(page_id=policy_id).first()
        if check is None or not any(item.get("code") == NO_INTERPRETATION for item in check.findings):
            return
        policy = Page.objects.filter(pk=policy_id).first()
        if policy is not None:
            record_check(policy, policy.get_latest_revision())

    transaction.on_commit(recheck)
