"""The site settings form refuses a hand-made or truncated POST with a form error, never a 500."""

import pytest
from django.test import Client
from wagtail.models import Site

from govsite.core.fields import MALFORMED_MESSAGE
from govsite.sites.models import SiteProfile
from govsite.testing import demo_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "stream_data",
    [
        {"footer_links-count": "0"},  # no top_links-count at all
        {"top_links-count": "第一", "footer_links-count": "0"},  # a count that is not a number
        {"top_links-count": "1", "footer_links-count": "0"},  # a block without -type/-order/-deleted
    ],
    ids=["count-missing", "count-not-a-number", "block-keys-missing"],
)
def test_a_post_without_the_stream_management_fields_is_a_form_error(
    client: Client, stream_data: dict[str, str]
) -> None:
    site = Site.objects.get(hostname="kjt.localhost")
    before = SiteProfile.objects.get(site=site)
    stored_links = before.top_links.get_prep_value()
    client.force_login(demo_user("platform-admin"))
    response = client.post(
        f"/admin/settings/govsite_sites/siteprofile/{site.pk}/",
        {"site_name": "被篡改的名称", "organiser": before.organiser, **stream_data},
    )
    assert response.status_code == 200
    assert MALFORMED_MESSAGE in response.context["form"].errors["top_links"]
    after = SiteProfile.objects.get(site=site)
    assert after.site_name == before.site_name  # nothing saved
    assert after.top_links.get_prep_value() == stored_links
