"""Tell listeners when a page is withdrawn or restored; give new department sites their 三审."""

from typing import Any

from django.dispatch import Signal, receiver
from wagtail.models import Site

from govsite.sites.signals import department_provisioned

from .provisioning import provision_review

# Sent with `instance` (the page) when 撤稿 is applied or lifted. The page stays live, so
# page_published/page_unpublished are not sent: the static publisher must re-render on these.
page_withdrawn = Signal()
page_restored = Signal()


@receiver(department_provisioned, dispatch_uid="govsite_workflow_provision_review")
def on_department_provisioned(sender: Any, site: Site, short_name: str, **kwargs: Any) -> None:
    """Every department site gets its 三审 workflow, however it was made (add_site, demo, generator)."""
    provision_review(site, short_name)
