"""栏目授权 (editors limited to columns) and per-column review chains with 任一人/全部审核通过 steps."""

import uuid
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Site

from govsite.content.models import ArticlePage, ColumnPage
from govsite.testing import demo_user
from govsite.workflow import actions
from govsite.workflow.columns import editor_columns
from govsite.workflow.models import EVERYONE, ColumnEditor, SiteWorkflow
from govsite.workflow.provisioning import ReviewStep, column_workflow, set_column_steps

pytestmark = pytest.mark.django_db
ADD_ARTICLE = "/admin/pages/add/govsite_content/articlepage/{}/"


def user(username: str) -> Any:
    return demo_user(username)


def site(hostname: str = "kjt.localhost") -> Site:
    return Site.objects.get(hostname=hostname)


def column(slug: str, hostname: str = "kjt.localhost") -> ColumnPage:
    return ColumnPage.objects.descendant_of(site(hostname).root_page).get(slug=slug)


def draft(slug: str, author: str = "kjt-editor") -> ArticlePage:
    page = ArticlePage(
        title="栏目测试稿件", slug=f"c-{uuid.uuid4().hex[:8]}", body="<p>正文。</p>", source="本厅"
    )
    page.live = False
    column(slug).add_child(instance=page)
    page.save_revision(user=user(author))
    return ArticlePage.objects.get(pk=page.pk)


def step_of(page: ArticlePage) -> str:
    return ArticlePage.objects.get(pk=page.pk).current_workflow_task.name


def approve(page: ArticlePage, who: str) -> None:
    page = ArticlePage.objects.get(pk=page.pk)
    task = page.current_workflow_task.specific
    assert "approve" in [name for name, _, _ in task.get_actions(page, user(who))], who
    task.on_action(page.current_workflow_task_state, user(who), "approve")


def login(client: Client, username: str) -> Client:
    client.force_login(user(username))
    return client


def grants_url(hostname: str = "kjt.localhost") -> str:
    return f"/admin/workflow/sites/{site(hostname).pk}/column-permissions/"


# --- 栏目授权 ------------------------------------------------------------------------------------
def test_site_admin_limits_an_editor_who_then_cannot_add_edit_or_choose_in_other_columns(client):
    editor = get_user_model().objects.create_user("kjt-column-test", password="x")
    editor.groups.add(Group.objects.get(name="科学技术厅-编辑"))
    gzdt, tzgg = column("gzdt"), column("tzgg")
    elsewhere = ArticlePage.objects.child_of(tzgg).first()

    login(client, "kjt-siteadmin")
    page = client.get(grants_url())
    assert page.status_code == 200 and "kjt-column-test" in page.content.decode()
    response = client.post(grants_url(), {"editor": [editor.pk], f"columns-{editor.pk}": [gzdt.pk]})
    assert response.status_code == 302
    assert editor_columns(SiteWorkflow.objects.get(site=site()), editor) == {gzdt.pk}

    login(client, "kjt-column-test")
    assert client.get(ADD_ARTICLE.format(gzdt.pk)).status_code == 200
    # Wagtail refuses with its (translated) message on the dashboard.
    refused = client.get(ADD_ARTICLE.format(tzgg.pk), follow=True)
    assert refused.redirect_chain == [("/admin/", 302)] and "没有权限" in refused.content.decode()
    assert client.get(f"/admin/pages/{elsewhere.pk}/edit/").url == "/admin/"
    explorer = client.get(f"/admin/pages/{tzgg.pk}/", follow=True)  # sent to the columns they may see
    assert explorer.redirect_chain and "通知公告" not in explorer.content.decode()
    own = draft("gzdt")
    assert client.get(f"/admin/pages/{own.pk}/edit/").status_code == 200
    # The choosers show neither the other columns nor their pages.
    assert client.get(f"/admin/choose-page/{column('zwgk').pk}/").status_code == 404
    assert client.get(f"/admin/choose-page/{site().root_page_id}/").status_code == 404
    assert client.get(f"/admin/choose-page/{gzdt.pk}/").status_code == 200
    found = client.get("/admin/choose-page/search/", {"q": elsewhere.title}).content.decode()
    assert elsewhere.title not in found

    # "全部栏目" gives the editor every column again.
    login(client, "kjt-siteadmin")
    assert client.post(grants_url(), {"editor": [editor.pk], f"all-{editor.pk}": "1"}).status_code == 302
    assert not ColumnEditor.objects.filter(user=editor).exists()
    login(client, "kjt-column-test")
    assert client.get(ADD_ARTICLE.format(tzgg.pk)).status_code == 200


def test_the_demo_column_editor_writes_in_science_news_only(client):
    login(client, "kjt-news-editor")
    assert client.get(ADD_ARTICLE.format(column("mtjj").pk)).status_code == 200
    assert client.get(ADD_ARTICLE.format(column("tzgg").pk)).url == "/admin/"


def test_site_admins_cannot_see_or_grant_other_departments_editors_or_columns(client):
    jyt_editor = user("jyt-editor")
    kjt_editor = user("kjt-editor")
    login(client, "kjt-siteadmin")
    assert client.get(grants_url("jyt.localhost")).url == "/admin/"  # Wagtail's "没有权限" message
    assert client.post(grants_url("jyt.localhost"), {"editor": [jyt_editor.pk]}).url == "/admin/"
    listing = client.get(grants_url()).content.decode()
    assert "jyt-editor" not in listing and "教育动态" not in listing
    # Ids typed into the form: another department's editor, another site's column.
    other_editor = client.post(grants_url(), {"editor": [jyt_editor.pk], f"all-{jyt_editor.pk}": "1"})
    assert other_editor.status_code == 400 and "不是本网站的编辑" in other_editor.content.decode()
    other_column = client.post(
        grants_url(),
        {"editor": [kjt_editor.pk], f"columns-{kjt_editor.pk}": [column("jydt", "jyt.localhost").pk]},
    )
    assert other_column.status_code == 400 and "不属于本网站" in other_column.content.decode()
    nothing = client.post(grants_url(), {"editor": [kjt_editor.pk]})
    assert nothing.status_code == 400 and "至少选择一个栏目" in nothing.content.decode()
    assert not ColumnEditor.objects.filter(user__in=[jyt_editor, kjt_editor]).exists()
    assert jyt_editor.groups.filter(name="教育厅-编辑").exists()
    # Nor another site's column for a review chain.
    other = column("jydt", "jyt.localhost")
    assert client.get(f"/admin/workflow/sites/{site().pk}/columns/{other.pk}/steps/").status_code == 404


# --- per-column review chains ---------------------------------------------------------------------
def test_pages_under_a_column_use_its_chain_and_all_mode_needs_every_member():
    page = draft("tzgg")  # 政务公开 › 通知公告: the demo's four steps
    workflow = page.get_workflow()
    assert [t.name for t in workflow.tasks] == [
        "科学技术厅-初审",
        "科学技术厅-复审",
        "科学技术厅-保密审查",
        "科学技术厅-终审",
    ]
    workflow.start(page, user("kjt-editor"))
    approve(page, "kjt-reviewer1")
    approve(page, "kjt-reviewer2")
    assert step_of(page) == "科学技术厅-保密审查"  # 全部审核通过: kjt-reviewer1 and kjt-reviewer2
    approve(page, "kjt-reviewer1")
    assert step_of(page) == "科学技术厅-保密审查"
    told = actions.review_outcome(ArticlePage.objects.get(pk=page.pk), user("kjt-reviewer1"))
    assert "还需 kjt-reviewer2 批准" in told
    again = ArticlePage.objects.get(pk=page.pk)
    assert "approve" not in [
        n for n, _, _ in again.current_workflow_task.specific.get_actions(again, user("kjt-reviewer1"))
    ]
    approve(page, "kjt-reviewer2")
    assert step_of(page) == "科学技术厅-终审"
    approve(page, "kjt-reviewer3")
    assert ArticlePage.objects.get(pk=page.pk).live
    # 工作动态 has two steps; its sibling 媒体聚焦 keeps the site's three.
    assert draft("gzdt").get_workflow().tasks.count() == 2
    assert draft("mtjj").get_workflow() == SiteWorkflow.objects.get(site=site()).workflow


def test_any_mode_needs_one_member_and_the_author_never_counts_in_all_mode():
    group = Group.objects.create(name="科学技术厅-会签测试")
    for name in ("kjt-reviewer1", "kjt-reviewer2", "kjt-editor"):
        user(name).groups.add(group)
    site_workflow = SiteWorkflow.objects.get(site=site())
    target = column("zcjd")
    final = Group.objects.get(name="科学技术厅-终审")
    steps = [ReviewStep("初审", group), ReviewStep("会签", group, EVERYONE), ReviewStep("终审", final)]
    set_column_steps(site_workflow, target, steps)
    page = draft("zcjd")  # by kjt-editor, a member of the group
    page.get_workflow().start(page, user("kjt-editor"))
    approve(page, "kjt-reviewer2")  # 任一人审核通过: one member completes the step
    assert step_of(page) == "科学技术厅-会签"
    approve(page, "kjt-reviewer1")
    assert step_of(page) == "科学技术厅-会签"
    approve(page, "kjt-reviewer2")  # every member but the author has approved
    assert step_of(page) == "科学技术厅-终审"


def test_site_admin_gives_a_column_its_own_chain_and_takes_it_away(client):
    login(client, "kjt-siteadmin")
    target = column("zcwj")  # 政务公开 › 政策文件
    first, last = Group.objects.get(name="科学技术厅-初审"), Group.objects.get(name="科学技术厅-终审")
    url = f"/admin/workflow/sites/{site().pk}/columns/{target.pk}/steps/"
    assert client.get(url).status_code == 200
    no_publisher = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "1",
        "form-MAX_NUM_FORMS": "6",
        "form-0-name": "初审",
        "form-0-group": str(first.pk),
    }
    refused = client.post(url, no_publisher)
    assert refused.status_code == 200 and "没有发布权限" in refused.content.decode()
    assert column_workflow(target) is None
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "1",
        "form-MAX_NUM_FORMS": "6",
        "form-0-name": "初审",
        "form-0-group": str(first.pk),
        "form-0-mode": "all",
        "form-1-name": "终审",
        "form-1-group": str(last.pk),
    }
    assert client.post(url, data).status_code == 302
    workflow = draft("zcwj").get_workflow()
    assert [(t.name, t.specific.approval_mode) for t in workflow.tasks] == [
        ("科学技术厅-初审", "all"),
        ("科学技术厅-终审", "any"),
    ]
    assert "政策文件" in client.get(f"/admin/workflow/sites/{site().pk}/steps/").content.decode()
    assert client.post(url, {"remove": "1"}).status_code == 302
    assert draft("zcwj").get_workflow() == column("zwgk").get_workflow()  # the parent's chain again
