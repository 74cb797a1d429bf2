import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from wagtail.models import Site

from govsite.content.tests.helpers import get_doc
from govsite.sites.models import Organisation, SiteProfile

pytestmark = pytest.mark.django_db


def test_add_site_creates_a_working_department_site(client):
    call_command(
        "add_site",
        "--hostname",
        "gat.localhost",
        "--name",
        "内蒙古自治区公安厅",
        "--department",
        "公安厅",
        "--site-id-code",
        "1500000099",
    )
    site = Site.objects.get(hostname="gat.localhost")
    assert SiteProfile.for_site(site).site_id_code == "1500000099"
    assert Organisation.objects.get(name="公安厅").site == site
    doc = get_doc(client, "/", host="gat.localhost")
    assert doc.xpath("string(//meta[@name='SiteName']/@content)") == "内蒙古自治区公安厅"
    # every other site's directory now links to the new site
    kjt = get_doc(client, "/", host="kjt.localhost")
    assert kjt.xpath("//nav[@aria-label='部门网站导航']//a[text()='公安厅']/@href") == [
        "http://gat.localhost"
    ]


def test_add_site_refuses_bad_codes():
    with pytest.raises(ValidationError):
        call_command(
            "add_site",
            "--hostname",
            "new.localhost",
            "--name",
            "x",
            "--department",
            "x",
            "--site-id-code",
            "123",
        )
