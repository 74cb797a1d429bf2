"""Receivers of the workflow app: new department sites get their 三审.

The 撤稿 signals it used to declare are the content app's now: govsite.content.signals.
"""

from typing import Any

from django.dispatch import receiver
from wagtail.models import Site

from govsite.sites.signals import department_provisioned

from .provisioning import provision_review


@receiver(department_provisioned, dispatch_uid="govsite_workflow_provision_review")
def on_department_provisioned(sender: Any, site: Site, short_name: str, **kwargs: Any) -> None:
    """Every department site gets its 三审 workflow, however it was made (add_site, demo, generator)."""
    provision_review(site, short_name)
