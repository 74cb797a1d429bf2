"""Editors of one department cannot see or change another department's pages, files or settings."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupPagePermission, Page, Site

from govsite.content.models import ArticlePage
from govsite.sites.provisioning import provision_department

pytestmark = pytest.mark.django_db


def site(host: str) -> Site:
    return Site.objects.get(hostname=host)


def an_article(host: str) -> ArticlePage:
    return ArticlePage.objects.descendant_of(site(host).root_page).live().first()


def login(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def png() -> ImageFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return ImageFile(buffer, name="x.png")


def test_page_permissions_stop_at_the_department_site():
    editor = get_user_model().objects.get(username="kjt-editor")
    own, other = an_article("kjt.localhost"), an_article("jyt.localhost")
    assert own.permissions_for_user(editor).can_edit()
    # Under 三审 editors submit for review; the 终审 group and site administrators publish.
    assert not own.permissions_for_user(editor).can_publish()
    assert own.permissions_for_user(editor).can_submit_for_moderation()
    assert not other.permissions_for_user(editor).can_edit()
    assert not other.permissions_for_user(editor).can_publish()
    assert not other.get_parent().permissions_for_user(editor).can_add_subpage()


def test_editor_cannot_open_another_departments_pages_in_the_admin(client):
    login(client, "kjt-editor")
    own, other = an_article("kjt.localhost"), an_article("jyt.localhost")
    assert client.get(f"/admin/pages/{own.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{other.pk}/edit/").status_code in (302, 403)
    response = client.post(f"/admin/pages/{other.pk}/edit/", {"title": "篡改"})
    assert response.status_code in (302, 403)
    assert ArticlePage.objects.get(pk=other.pk).title != "篡改"
    explorer = client.get("/admin/pages/").content.decode()
    assert "内蒙古自治区教育厅" not in explorer


def test_images_and_documents_are_private_to_the_department(client):
    jyt_collection = Collection.objects.get(name="教育厅")
    image = get_image_model().objects.create(title="教育厅内部图片", collection=jyt_collection, file=png())
    document = get_document_model().objects.create(
        title="教育厅内部文件", collection=jyt_collection, file=ImageFile(io.BytesIO(b"x"), name="a.txt")
    )
    login(client, "kjt-editor")
    assert "教育厅内部图片" not in client.get("/admin/images/").content.decode()
    assert "教育厅内部文件" not in client.get("/admin/documents/").content.decode()
    assert client.get(f"/admin/images/{image.pk}/").status_code in (302, 403)
    assert client.get(f"/admin/documents/edit/{document.pk}/").status_code in (302, 403)
    assert "教育厅内部图片" not in client.get("/admin/images/chooser/").content.decode()

    login(client, "jyt-editor")
    assert "教育厅内部图片" in client.get("/admin/images/").content.decode()


def test_site_settings_are_editable_by_that_sites_administrators_only(client):
    user_model = get_user_model()
    kjt_admin = user_model.objects.create_user("kjt-test-siteadmin", password="x")
    kjt_admin.groups.add(provision_department(site("kjt.localhost"), "科学技术厅").site_admins)
    client.force_login(kjt_admin)
    own = client.get(f"/admin/settings/govsite_sites/siteprofile/{site('kjt.localhost').pk}/")
    other = client.get(f"/admin/settings/govsite_sites/siteprofile/{site('jyt.localhost').pk}/")
    assert own.status_code == 200
    assert "1500000057" in own.content.decode()
    assert other.status_code in (302, 403)

    login(client, "kjt-editor")  # plain editors cannot change site identity at all
    assert client.get(
        f"/admin/settings/govsite_sites/siteprofile/{site('kjt.localhost').pk}/"
    ).status_code in (
        302,
        403,
    )


def test_registry_is_for_platform_administrators_only(client):
    login(client, "kjt-editor")
    assert client.get("/admin/snippets/govsite_sites/organisation/").status_code in (302, 403)
    login(client, "platform-admin")
    response = client.get("/admin/snippets/govsite_sites/organisation/")
    assert response.status_code == 200
    assert "发展和改革委员会" in response.content.decode()


def test_provisioning_is_idempotent():
    kjt = site("kjt.localhost")
    first = provision_department(kjt, "科学技术厅")
    again = provision_department(kjt, "科学技术厅")
    assert first.editors.pk == again.editors.pk
    assert first.collection.pk == again.collection.pk
    permissions = GroupPagePermission.objects.filter(group=first.editors, page=kjt.root_page)
    assert permissions.count() == 4  # no publish_page
    assert Page.objects.filter(pk=kjt.root_page.pk).exists()
