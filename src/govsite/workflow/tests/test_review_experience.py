"""三审 as reviewers and editors live it (issue 13): no publishing around a review, a landing page that
says what a decision did, reviewers' corrections, findings at submission and in 我的待审, the check
results of published pages, no stray revision after 批准和发布."""

import pytest
from django.contrib.messages import get_messages
from wagtail.models import Revision, TaskState

from govsite.checks.services import latest_findings
from govsite.content.models import ArticlePage
from govsite.content.tests.helpers import editor_post
from govsite.testing import demo_user as user
from govsite.workflow.tests.test_review import VALID_ID, act, actions_of, new_draft, submit

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def workflow_action_url(page: ArticlePage, action: str) -> str:
    page = ArticlePage.objects.get(pk=page.pk)
    return f"/admin/pages/workflow/action/{page.pk}/{action}/{page.current_workflow_task_state.pk}/"


def test_nobody_publishes_around_a_review_in_progress_not_even_the_platform_administrator(client):
    page = new_draft()
    submit(page)
    client.force_login(user("platform-admin"))
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert 'name="action-publish"' not in html  # the editor offers no 发布 while the review runs
    edit_url = f"/admin/pages/{page.pk}/edit/"
    response = client.post(
        edit_url, editor_post(client, edit_url, **{"action-publish": "publish"}), follow=True
    )
    page = ArticlePage.objects.get(pk=page.pk)
    assert not page.live
    assert page.current_workflow_state.status == "in_progress"  # the review was not cancelled
    assert page.current_workflow_task.name == "科学技术厅-初审"
    assert any("紧急发布" in m and "终审" in m for m in messages_of(response))


def test_after_each_decision_the_reviewer_lands_on_my_reviews_told_what_happened(client):
    page = new_draft()
    submit(page)
    client.force_login(user("kjt-reviewer1"))
    response = client.post(workflow_action_url(page, "approve"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/admin/workflow/reviews/"
    assert "《三审测试稿件》已批准，已转复审。" in messages_of(response)

    client.force_login(user("kjt-reviewer2"))  # from the editor's action menu
    edit_url = f"/admin/pages/{page.pk}/edit/"
    armed = {"action-workflow-action": "true", "workflow-action-name": "reject"}
    response = client.post(edit_url, editor_post(client, edit_url, **armed), follow=True)
    assert response.redirect_chain[-1][0] == "/admin/workflow/reviews/"
    assert "《三审测试稿件》已退回修改。" in messages_of(response)
    assert "没有权限" not in response.content.decode()

    page = ArticlePage.objects.get(pk=page.pk)
    page.body = "<p>正文内容已修改。</p>"
    page.save_revision(user=user("kjt-editor"))
    page.current_workflow_state.resume(user("kjt-editor"))  # 重新提交: back at 复审
    act(page, "kjt-reviewer2")
    client.force_login(user("kjt-reviewer3"))
    response = client.post(workflow_action_url(page, "approve"), follow=True)
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live
    published = [m for m in messages_of(response) if "已发布" in m]
    assert published and page.full_url in published[0]


def test_a_reviewer_who_corrects_a_typo_still_decides_but_never_on_their_own_submission():
    page = new_draft("<p>正文内容有错别子。</p>")
    submit(page)
    page.body = "<p>正文内容有错别字。</p>"
    page.save_revision(user=user("kjt-reviewer1"))
    assert {"approve", "reject"} <= set(actions_of(page, "kjt-reviewer1"))
    act(page, "kjt-reviewer1")
    assert ArticlePage.objects.get(pk=page.pk).current_workflow_task.name == "科学技术厅-复审"
    # The next step received the reviewer's corrected version: that reviewer, were they also in the
    # next group, would be its author there; the submitter never decides either.
    assert actions_of(page, "kjt-editor") == []


def test_submitting_with_blocking_findings_warns_and_my_reviews_shows_the_findings(client):
    page = new_draft(f"<p>获奖人身份证号 {VALID_ID}，手机 13912345678。</p>")
    client.force_login(user("kjt-editor"))
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "workflow/submit_confirm" in html  # the confirmation on the 提交审核 button
    body = f"<p>获奖人身份证号 {VALID_ID}，手机 13912345678。</p>"
    edit_url = f"/admin/pages/{page.pk}/edit/"
    form = editor_post(client, edit_url, body=body, **{"action-submit": "submit"})
    response = client.post(edit_url, form, follow=True)
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.current_workflow_state.status == "in_progress"
    assert any("2 个问题将阻止发布" in m for m in messages_of(response))

    client.force_login(user("kjt-reviewer1"))
    html = client.get("/admin/workflow/reviews/").content.decode()
    assert f'href="/admin/checks/pages/{page.pk}/"' in html
    assert "2 个阻止发布" in html


def test_the_check_results_of_a_published_article_use_its_publication_date(client):
    page = new_draft()
    assert "missing_date" in {f.code for f in latest_findings(page)}  # a draft without a date: 提醒
    submit(page)
    for reviewer in ("kjt-reviewer1", "kjt-reviewer2", "kjt-reviewer3"):
        act(page, reviewer)
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live and page.pub_date
    assert "missing_date" not in {f.code for f in latest_findings(page)}
    client.force_login(user("kjt-reviewer3"))
    assert "未填写发布日期" not in client.get(f"/admin/checks/pages/{page.pk}/").content.decode()


def test_editors_autosave_their_drafts(client):
    page = new_draft()
    client.force_login(user("kjt-editor"))
    edit_url = f"/admin/pages/{page.pk}/edit/"
    html = client.get(edit_url).content.decode()
    assert "data-w-autosave-interval-value" in html  # Wagtail's autosave is on
    before = Revision.page_revisions.filter(object_id=str(page.pk)).count()
    form = editor_post(client, edit_url, title="自动保存的标题")  # with the revision it loaded
    response = client.post(edit_url, form, HTTP_ACCEPT="application/json")
    assert response.json()["success"], response.content.decode()
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == before + 1
    assert ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object().title == "自动保存的标题"


def test_no_draft_revision_appears_after_approve_and_publish_when_the_final_reviewer_previewed(client):
    page = new_draft()
    submit(page)
    act(page, "kjt-reviewer1")
    act(page, "kjt-reviewer2")
    client.force_login(user("kjt-reviewer3"))
    edit_url = f"/admin/pages/{page.pk}/edit/"
    form = editor_post(client, edit_url)  # with the revision it loaded
    assert client.post(f"{edit_url}preview/", form).status_code == 200  # the preview panel
    # 批准和发布 arms the form (workflow-action.js adds these inputs) and submits it; the changed form
    # data also starts an autosave of the armed form, which can be handled before the submission
    # (or during it): it must not act, or the submission that follows saves a draft.
    armed = {**form, "action-workflow-action": "true", "workflow-action-name": "approve"}
    autosave = client.post(edit_url, armed, HTTP_ACCEPT="application/json")
    assert autosave.status_code == 400 and not autosave.json()["success"]
    assert client.post(edit_url, armed).status_code == 302
    assert client.post(edit_url, armed, HTTP_ACCEPT="application/json").status_code == 400  # or after it
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision_id == page.get_latest_revision().pk
    assert TaskState.objects.filter(finished_by=user("kjt-reviewer3"), status="approved").exists()


def test_a_withdrawn_page_shows_it_in_the_admin_and_stays_withdrawn_when_approved_again(client):
    from govsite.content import lifecycle, visibility
    from govsite.content.models import Withdrawal
    from govsite.search.models import SearchDocument

    page = new_draft()
    submit(page)
    for reviewer in ("kjt-reviewer1", "kjt-reviewer2", "kjt-reviewer3"):
        act(page, reviewer)
    lifecycle.withdraw(
        ArticlePage.objects.get(pk=page.pk), user("kjt-reviewer3"), Withdrawal.Mode.NOTICE, "有误"
    )
    assert not SearchDocument.objects.filter(page_id=page.pk).exists()

    client.force_login(user("kjt-editor"))
    editor = client.get(f"/admin/pages/{page.pk}/edit/")
    assert any("本稿件已撤稿" in m for m in messages_of(editor))
    explorer = client.get(f"/admin/pages/{page.get_parent().pk}/?ordering=-latest_revision_created_at")
    assert "已撤稿" in explorer.content.decode()

    page = ArticlePage.objects.get(pk=page.pk)
    page.title = "修改后重新批准的稿件"
    page.save_revision(user=user("kjt-editor"))
    submit(page)
    for reviewer in ("kjt-reviewer1", "kjt-reviewer2", "kjt-reviewer3"):
        act(page, reviewer)
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live and page.title == "修改后重新批准的稿件"
    assert Withdrawal.objects.filter(page=page).exists()  # only 取消撤稿 lifts it
    assert not SearchDocument.objects.filter(page_id=page.pk).exists()
    assert not visibility.listed(ArticlePage.objects.filter(pk=page.pk)).exists()
    sitemap = client.get("/sitemap.xml", HTTP_HOST="kjt.localhost").content.decode()
    assert page.slug not in sitemap
