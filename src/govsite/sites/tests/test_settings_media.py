"""Site settings may show only the department's own images (二维码, 党政机关标识)."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.admin.panels import get_edit_handler
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from govsite.sites.forms import SiteProfileForm
from govsite.sites.models import SiteProfile
from govsite.sites.provisioning import provision_department

pytestmark = pytest.mark.django_db


def test_site_settings_refuse_another_departments_image() -> None:
    kjt, jyt = (Site.objects.get(hostname=h) for h in ("kjt.localhost", "jyt.localhost"))
    kjt_admin = get_user_model().objects.create_user("kjt-test-siteadmin", password="x")
    kjt_admin.groups.add(provision_department(kjt, "科学技术厅").site_admins)
    image_model = get_image_model()
    theirs = image_model.objects.create(
        title="教育厅图片",
        file=get_test_image_file(),
        collection=provision_department(jyt, "教育厅").collection,
    )
    ours = image_model.objects.create(
        title="科技厅图片",
        file=get_test_image_file(),
        collection=provision_department(kjt, "科学技术厅").collection,
    )
    assert issubclass(get_edit_handler(SiteProfile).get_form_class(), SiteProfileForm)

    class ImagesForm(SiteProfileForm):
        class Meta:
            model = SiteProfile
            fields = ["wechat_qr", "conac_image"]

    profile = SiteProfile.for_site(kjt)

    refused = ImagesForm({"wechat_qr": theirs.pk}, instance=profile, for_user=kjt_admin)
    assert not refused.is_valid()
    assert "不在您可使用的素材库中" in str(refused.errors["wechat_qr"])

    accepted = ImagesForm(
        {"wechat_qr": ours.pk, "conac_image": ours.pk}, instance=profile, for_user=kjt_admin
    )
    assert accepted.is_valid(), accepted.errors
