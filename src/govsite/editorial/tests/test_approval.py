"""稿件审批单: every signer, decision, comment and time, for the page's own department only."""

import re

import pytest
from django.utils import timezone
from wagtail.models import TaskState

from govsite.testing import demo_user

from .helpers import act, draft, reject, resubmit, submit

pytestmark = pytest.mark.django_db


def test_the_form_lists_each_round_and_step_with_signer_comment_and_time(client):
    page = draft()
    submit(page)
    reject(page, "kjt-reviewer1", "请补充来源")
    resubmit(page)
    for reviewer in ("kjt-reviewer1", "kjt-reviewer2", "kjt-reviewer3"):
        act(page, reviewer)
    page.refresh_from_db()

    client.force_login(demo_user("kjt-editor"))
    response = client.get(f"/admin/editorial/pages/{page.pk}/approval/")
    assert response.status_code == 200
    text = response.content.decode()
    assert page.title in text and "媒体聚焦" in text
    # One submission (重新提交 resumes it), its steps in order; then a later change is a second one.
    steps = re.findall(r'<tr class="approval-step"><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>', text)
    assert steps == [
        ("科学技术厅-初审", "kjt-reviewer1", "退回修改"),
        ("科学技术厅-初审", "kjt-reviewer1", "批准"),
        ("科学技术厅-复审", "kjt-reviewer2", "批准"),
        ("科学技术厅-终审", "kjt-reviewer3", "批准"),
    ]
    assert "请补充来源" in text and "第 2 次送审" not in text
    states = TaskState.objects.filter(workflow_state__object_id=str(page.pk)).exclude(finished_by=None)
    assert states.count() == 4
    for state in states:
        assert state.finished_by.username in text
        assert timezone.localtime(state.finished_at).strftime("%Y-%m-%d %H:%M") in text
    assert timezone.localtime(page.first_published_at).strftime("%Y-%m-%d %H:%M") in text
    assert "approval.css" in text  # the print style sheet

    page.save_revision(user=demo_user("kjt-editor"))
    submit(page)
    again = client.get(f"/admin/editorial/pages/{page.pk}/approval/").content.decode()
    assert "第 2 次送审" in again and "待审核" in again


def test_another_departments_page_is_not_found(client):
    page = draft()
    submit(page)
    client.force_login(demo_user("jyt-editor"))
    response = client.get(f"/admin/editorial/pages/{page.pk}/approval/")
    assert response.status_code == 404
    assert page.title not in response.content.decode()
    client.force_login(demo_user("kjt-reviewer2"))  # a reviewer of the department (no page rights)
    assert client.get(f"/admin/editorial/pages/{page.pk}/approval/").status_code == 200
