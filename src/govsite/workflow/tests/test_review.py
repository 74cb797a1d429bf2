"""三审: the steps, no self-approval, checks enforced at publish, overrides, urgent publish, audit."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from wagtail.models import Page, PageLogEntry, Site, TaskState

from govsite.checks.services import latest_findings, override_findings
from govsite.content.models import ArticlePage, ColumnPage
from govsite.testing import demo_user as user
from govsite.workflow import actions
from govsite.workflow.models import SiteWorkflow, UrgentPublication
from govsite.workflow.provisioning import provision_review

pytestmark = pytest.mark.django_db
VALID_ID = "11010519491231002X"


def kjt() -> Site:
    return Site.objects.get(hostname="kjt.localhost")


def new_draft(
    text: str = "<p>正文内容。</p>", site: Site | None = None, author: str = "kjt-editor"
) -> ArticlePage:
    site = site or kjt()
    column = ColumnPage.objects.descendant_of(site.root_page).filter(column_type="工作动态").first()
    page = ArticlePage(
        title="三审测试稿件", slug=f"t-{uuid.uuid4().hex[:8]}", body=text, source="本厅", live=False
    )
    column.add_child(instance=page)
    page.save_revision(user=user(author))
    return ArticlePage.objects.get(pk=page.pk)


def submit(page: ArticlePage, who: str = "kjt-editor") -> None:
    page.get_workflow().start(page, user(who))


def act(page: ArticlePage, who: str, action: str = "approve") -> None:
    page = ArticlePage.objects.get(pk=page.pk)
    task = page.current_workflow_task.specific
    names = [name for name, _, _ in task.get_actions(page, user(who))]
    assert action in names, f"{who} cannot {action}: {names}"
    task.on_action(page.current_workflow_task_state, user(who), action)


def actions_of(page: ArticlePage, who: str) -> list[str]:
    page = ArticlePage.objects.get(pk=page.pk)
    return [name for name, _, _ in page.current_workflow_task.specific.get_actions(page, user(who))]


def test_each_department_has_three_review_steps_and_editors_cannot_publish():
    steps = SiteWorkflow.objects.get(site=kjt()).workflow.tasks
    assert [t.name for t in steps] == ["科学技术厅-初审", "科学技术厅-复审", "科学技术厅-终审"]
    media = ColumnPage.objects.descendant_of(kjt().root_page).get(slug="mtjj")  # no chain of its own
    article = ArticlePage.objects.live().child_of(media).first()
    assert article.get_workflow().name == "科学技术厅三审"
    assert not article.permissions_for_user(user("kjt-editor")).can_publish()
    assert article.permissions_for_user(user("kjt-editor")).can_submit_for_moderation()
    assert article.permissions_for_user(user("kjt-reviewer3")).can_publish()
    assert not article.permissions_for_user(user("kjt-reviewer1")).can_publish()
    again = provision_review(kjt(), "科学技术厅")  # idempotent
    assert again.site_workflow.workflow.tasks.count() == 3


def test_an_article_goes_through_three_reviewers_and_is_published():
    page = new_draft()
    submit(page)
    assert actions_of(page, "kjt-reviewer2") == []  # not their step yet
    act(page, "kjt-reviewer1")
    act(page, "kjt-reviewer2")
    assert not ArticlePage.objects.get(pk=page.pk).live
    act(page, "kjt-reviewer3")
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live and page.pub_date is not None
    logged = list(PageLogEntry.objects.filter(page=page).values_list("action", "user__username"))
    assert ("wagtail.workflow.start", "kjt-editor") in logged
    for reviewer in ("kjt-reviewer1", "kjt-reviewer2", "kjt-reviewer3"):
        assert ("wagtail.workflow.approve", reviewer) in logged
    assert ("wagtail.publish", "kjt-reviewer3") in logged


def test_nobody_approves_their_own_change():
    reviewer = user("kjt-reviewer1")
    page = new_draft(author="kjt-reviewer1")  # a reviewer who wrote the text …
    submit(page, "kjt-reviewer1")
    assert actions_of(page, "kjt-reviewer1") == []  # … sees no approve or reject
    page = ArticlePage.objects.get(pk=page.pk)
    with pytest.raises(PermissionDenied):
        page.current_workflow_task.specific.on_action(page.current_workflow_task_state, reviewer, "approve")

    # (A reviewer's own corrections during their step do not make them the author:
    # test_review_experience.test_a_reviewer_who_corrects_a_typo_still_decides_…)
    # The platform administrator is no exception.
    admin_page = new_draft(author="platform-admin")
    submit(admin_page, "platform-admin")
    assert actions_of(admin_page, "platform-admin") == []


def test_rejection_is_logged_and_sends_the_article_back():
    page = new_draft()
    submit(page)
    act(page, "kjt-reviewer1", "reject")
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.current_workflow_state.status == "needs_changes"
    assert PageLogEntry.objects.filter(
        page=page, action="wagtail.workflow.reject", user__username="kjt-reviewer1"
    )


def test_blocking_findings_stop_the_final_approval_until_overridden_with_a_reason():
    page = new_draft(f"<p>获奖人身份证号 {VALID_ID}。</p>")
    submit(page)
    act(page, "kjt-reviewer1")  # earlier steps may approve: only publication is stopped
    act(page, "kjt-reviewer2")
    assert actions_of(page, "kjt-reviewer3") == ["reject"]
    with pytest.raises(PermissionDenied):
        override_findings(page, user("kjt-reviewer1"), ["x"], "理由")  # no permission
    finding = next(f for f in latest_findings(page) if f.code == "id_card")
    override_findings(page, user("kjt-reviewer3"), [finding.key], "公示名单依法公开身份证号")
    assert "approve" in actions_of(page, "kjt-reviewer3")
    act(page, "kjt-reviewer3")
    assert ArticlePage.objects.get(pk=page.pk).live
    entry = PageLogEntry.objects.get(page=page, action="govsite.checks.override")
    assert entry.user.username == "kjt-reviewer3"
    assert entry.data["reason"] == "公示名单依法公开身份证号"


def test_editor_publish_button_is_refused_and_checks_block_direct_publication(client):
    page = new_draft()
    client.force_login(user("kjt-editor"))
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert 'name="action-submit"' in html and 'name="action-publish"' not in html
    from govsite.content.tests.helpers import editor_post

    edit_url = f"/admin/pages/{page.pk}/edit/"
    response = client.post(edit_url, editor_post(client, edit_url, **{"action-publish": "publish"}))
    assert response.status_code == 302
    assert not ArticlePage.objects.get(pk=page.pk).live

    # Even the platform administrator cannot publish text with an ID number without an override.
    client.force_login(user("platform-admin"))
    body = f"<p>身份证 {VALID_ID}</p>"
    response = client.post(
        edit_url, editor_post(client, edit_url, body=body, **{"action-publish": "publish"})
    )
    assert response.status_code == 302
    assert not ArticlePage.objects.get(pk=page.pk).live
    blocked = PageLogEntry.objects.get(page=page, action="govsite.checks.blocked")
    assert blocked.user.username == "platform-admin" and "身份证" in blocked.data["findings"][0]
    editor_view = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "含有居民身份证号码" in editor_view  # the finding is shown in the editor


def test_urgent_publish_publishes_at_once_and_leaves_a_review_task(client):
    page = new_draft()
    with pytest.raises(PermissionDenied):
        actions.urgent_publish(page, user("kjt-editor"), "抢发")
    urgent = actions.urgent_publish(page, user("kjt-reviewer3"), "突发事件须立即发布")
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live
    assert urgent.review_pending and page.current_workflow_task.name == "科学技术厅-初审"
    assert PageLogEntry.objects.filter(
        page=page, action="govsite.urgent_publish", user__username="kjt-reviewer3"
    )

    client.force_login(user("kjt-reviewer1"))
    dashboard = client.get("/admin/").content.decode()
    assert "紧急发布待补审" in dashboard and page.title in dashboard
    # the urgent publisher cannot complete the review of their own publication
    assert actions_of(page, "kjt-reviewer3") == []
    act(page, "kjt-reviewer1")
    act(page, "kjt-reviewer2")
    assert actions_of(page, "kjt-reviewer3") == []  # they started this review
    admin = user("platform-admin")
    task = ArticlePage.objects.get(pk=page.pk).current_workflow_task.specific
    task.on_action(ArticlePage.objects.get(pk=page.pk).current_workflow_task_state, admin, "approve")
    assert not UrgentPublication.objects.get(pk=urgent.pk).review_pending


def test_reviewers_see_their_items_across_all_sites_in_one_list(client):
    reviewer = get_user_model().objects.create_user("two-site-reviewer", password="x")
    jyt = Site.objects.get(hostname="jyt.localhost")
    reviewer.groups.add(
        *[g for g in provision_review(kjt(), "科学技术厅").step_groups.values() if g.name.endswith("初审")],
        provision_review(jyt, "教育厅").step_groups["初审"],
    )
    kjt_page, jyt_page = new_draft(), new_draft(site=jyt, author="jyt-editor")
    jyt_page.title = "教育厅待审稿件"
    jyt_page.save_revision(user=user("jyt-editor"))
    submit(kjt_page)
    submit(jyt_page, "jyt-editor")
    client.force_login(reviewer)
    html = client.get("/admin/workflow/reviews/").content.decode()
    assert html.count("review-row") == 2
    assert "内蒙古自治区科学技术厅" in html and "内蒙古自治区教育厅" in html
    assert TaskState.objects.reviewable_by(reviewer).count() == 2


def test_site_admins_edit_the_number_of_steps_and_their_groups(client):
    site_admin = get_user_model().objects.create_user("kjt-webmaster", password="x")
    setup = provision_review(kjt(), "科学技术厅")
    from django.contrib.auth.models import Group

    site_admin.groups.add(Group.objects.get(name="科学技术厅-网站管理员"))
    client.force_login(site_admin)
    url = f"/admin/workflow/sites/{kjt().pk}/steps/"
    assert client.get(url).status_code == 200
    jyt = Site.objects.get(hostname="jyt.localhost")
    assert client.get(f"/admin/workflow/sites/{jyt.pk}/steps/").status_code in (302, 403)
    first, last = setup.step_groups["初审"], setup.step_groups["终审"]
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "3",
        "form-MIN_NUM_FORMS": "1",
        "form-MAX_NUM_FORMS": "6",
        "form-0-name": "初审",
        "form-0-group": str(first.pk),
        "form-1-name": "终审",
        "form-1-group": str(last.pk),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    workflow = SiteWorkflow.objects.get(site=kjt()).workflow
    assert [t.name for t in workflow.tasks.filter(active=True)] == ["科学技术厅-初审", "科学技术厅-终审"]
    assert [list(t.specific.groups.all()) for t in workflow.tasks] == [[first], [last]]
    page = new_draft()
    submit(page)
    act(page, "kjt-reviewer1")
    act(page, "kjt-reviewer3")
    assert ArticlePage.objects.get(pk=page.pk).live


def test_pub_date_cannot_be_changed_after_publishing():
    from django.core.exceptions import ValidationError

    article = ArticlePage.objects.live().descendant_of(kjt().root_page).first()
    article.pub_date = article.pub_date.replace(year=2001)
    with pytest.raises(ValidationError):
        article.full_clean()
    assert Page.objects.filter(pk=article.pk).exists()
