"""Other departments' page, document and leader titles (drafts included) stay out of shared admin screens."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, Site

from govsite.checks.models import Leader
from govsite.content.models import ArticlePage
from govsite.sites.provisioning import provision_department

pytestmark = pytest.mark.django_db

SECRET = "教育厅未发布草稿"


def text(response) -> str:
    """The response as text; modal (JSON) responses are decoded so that Chinese is readable."""
    body = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        body = json.dumps(json.loads(body), ensure_ascii=False)
    return body


@pytest.fixture
def jyt_draft() -> ArticlePage:
    jyt = Site.objects.get(hostname="jyt.localhost")
    column = ArticlePage.objects.descendant_of(jyt.root_page).first().get_parent()
    draft = ArticlePage(title=SECRET, slug="draft-secret", source="教育厅", body="<p>x</p>", live=False)
    column.add_child(instance=draft)
    draft.save_revision()
    return draft


def login(client: Client, username: str) -> Client:
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_page_chooser_shows_own_pages_only(client: Client, jyt_draft: ArticlePage) -> None:
    login(client, "kjt-editor")
    jyt_home = Site.objects.get(hostname="jyt.localhost").root_page
    root = text(client.get("/admin/choose-page/"))
    assert "内蒙古自治区科学技术厅" in root
    assert "内蒙古自治区教育厅" not in root
    for url in (
        f"/admin/choose-page/{jyt_home.pk}/",
        f"/admin/choose-page/{jyt_draft.get_parent().pk}/",
        "/admin/choose-page/search/?q=教育厅",
        f"/admin/choose-page/chosen-multiple/?id={jyt_draft.pk}",
    ):
        assert SECRET not in text(client.get(url)), url
    assert SECRET not in text(client.get(f"/admin/choose-page/{jyt_draft.get_parent().pk}/"))
    kjt_home = Site.objects.get(hostname="kjt.localhost").root_page
    assert client.get(f"/admin/choose-page/{kjt_home.pk}/").status_code == 200

    login(client, "platform-admin")
    assert SECRET in text(client.get(f"/admin/choose-page/{jyt_draft.get_parent().pk}/"))
    assert SECRET in text(client.get("/admin/choose-page/search/?q=教育厅"))


def test_bulk_action_confirmations_name_no_other_departments_objects(
    client: Client, jyt_draft: ArticlePage
) -> None:
    document = get_document_model().objects.create(
        title="教育厅内部文件",
        collection=Collection.objects.get(name="教育厅"),
        file=ContentFile(b"x", "a.txt"),
    )
    login(client, "kjt-editor")
    for action in ("delete", "move", "publish", "unpublish"):
        response = client.get(f"/admin/bulk/wagtailcore/page/{action}/?id={jyt_draft.pk}")
        assert SECRET not in text(response), action
    for action in ("delete", "add_tags", "add_to_collection"):
        response = client.get(f"/admin/bulk/wagtaildocs/document/{action}/?id={document.pk}")
        assert "教育厅内部文件" not in text(response), action

    leader = Leader.objects.create(
        site=Site.objects.get(hostname="jyt.localhost"), name="赵教育", title="厅长"
    )
    kjt_admin = get_user_model().objects.create_user("kjt-scope-admin", password="x")
    kjt_admin.groups.add(
        provision_department(Site.objects.get(hostname="kjt.localhost"), "科学技术厅").site_admins
    )
    client.force_login(kjt_admin)
    assert "赵教育" not in text(client.get(f"/admin/bulk/govsite_checks/leader/delete/?id={leader.pk}"))

    login(client, "platform-admin")
    assert SECRET in text(client.get(f"/admin/bulk/wagtailcore/page/delete/?id={jyt_draft.pk}"))


def test_page_types_report_counts_own_pages_only(client: Client, jyt_draft: ArticlePage) -> None:
    login(client, "kjt-editor")
    report = text(client.get("/admin/reports/page-types-usage/"))
    assert SECRET not in report
    assert "内蒙古自治区教育厅" not in report
    kjt_articles = ArticlePage.objects.descendant_of(Site.objects.get(hostname="kjt.localhost").root_page)
    assert kjt_articles.exists()
    all_articles = ArticlePage.objects.count()
    assert f">{all_articles}<" not in report.replace(" ", "").replace("\n", "")

    login(client, "platform-admin")
    jyt_draft.save_revision()  # the latest edited article, as the report shows it
    Page.objects.filter(pk=jyt_draft.pk).update(
        latest_revision_created_at=jyt_draft.latest_revision.created_at
    )
    assert SECRET in text(client.get("/admin/reports/page-types-usage/"))


def test_workflow_reports_offer_own_workflows_and_requesters_only(
    client: Client, jyt_draft: ArticlePage
) -> None:
    jyt_editor = get_user_model().objects.get(username="jyt-editor")
    workflow = jyt_draft.get_workflow()
    assert workflow is not None and "教育厅" in workflow.name
    workflow.start(jyt_draft, jyt_editor)
    reports = ("/admin/reports/workflow/", "/admin/reports/workflow_tasks/")

    login(client, "kjt-editor")
    for url in reports:
        body = text(client.get(url))
        assert "科学技术厅" in body, url  # its own workflow is offered
        assert workflow.name not in body and "jyt-editor" not in body and SECRET not in body, url

    login(client, "platform-admin")
    for url in reports:
        assert workflow.name in text(client.get(url)), url
    assert "jyt-editor" in text(client.get(reports[0]))
