"""Helpers for the editorial tests: pages of two departments in review, their reviewers."""

import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page

from govsite.content.models import ArticlePage
from govsite.content.tests.helpers import new_draft
from govsite.testing import demo_user
from govsite.workflow.tests.test_review import act, submit

__all__ = ["act", "draft", "jyt_reviewer", "publish", "reject", "resubmit", "submit"]


def draft(
    host: str = "kjt.localhost", author: str = "kjt-editor", body: str = "<p>正文。</p>"
) -> ArticlePage:
    """A draft with a unique title by `author` on `host` (S&T: 媒体聚焦; Education: 教育动态)."""
    slug = "mtjj" if host == "kjt.localhost" else "jydt"  # 媒体聚焦: on the site's 三审 chain
    page = new_draft(slug, f"工作台测试稿件{uuid.uuid4().hex[:6]}", host, author)
    if body != "<p>正文。</p>":
        page.body = body
        page.save_revision(user=demo_user(author))
    return ArticlePage.objects.get(pk=page.pk)


def jyt_reviewer() -> Any:
    """A member of the Education department's 初审 group (the demo has no Education reviewers)."""
    user, _ = get_user_model().objects.get_or_create(username="jyt-reviewer1", email="jyt-r1@example.gov.cn")
    user.groups.add(Group.objects.get(name="教育厅-初审"))
    return user


def resubmit(page: Page, who: str = "kjt-editor") -> None:
    """重新提交 after 要求修改: the same review resumes at the step that sent it back."""
    ArticlePage.objects.get(pk=page.pk).current_workflow_state.resume(demo_user(who))


def reject(page: Page, who: str, comment: str) -> None:
    page = ArticlePage.objects.get(pk=page.pk)
    page.current_workflow_task.specific.on_action(
        page.current_workflow_task_state, demo_user(who), "reject", comment=comment
    )


def publish(page: Page, who: str = "platform-admin") -> ArticlePage:
    page = ArticlePage.objects.get(pk=page.pk)
    page.get_latest_revision().publish(user=demo_user(who))
    return ArticlePage.objects.get(pk=page.pk)
