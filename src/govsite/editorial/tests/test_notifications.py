"""站内信: created by Wagtail's workflow and publishing signals, for the page's own department."""

import json
import re

import pytest
from django.core import mail

from govsite.editorial.models import Notification
from govsite.testing import demo_user

from .helpers import act, draft, jyt_reviewer, publish, reject, resubmit, submit

pytestmark = pytest.mark.django_db


def menu(page: str) -> str:
    """The admin menu's labels (the sidebar is rendered from JSON with escaped characters)."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', page, re.S
    )
    assert props, "no sidebar"
    return json.dumps(json.loads(props[1]), ensure_ascii=False)


def inbox(username: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient__username=username).order_by("pk"))


def test_submit_tells_the_steps_reviewers_and_wagtail_mails_them_once():
    jyt_reviewer()
    page = draft()
    mail.outbox.clear()
    submit(page)
    [message] = [n for n in inbox("kjt-reviewer1") if n.page_id == page.pk]
    assert message.kind == "review" and message.read_at is None
    assert message.text == f"《{page.title}》等待您审核（科学技术厅-初审），提交人：kjt-editor。"
    assert message.link == f"/admin/pages/{page.pk}/edit/"
    assert not Notification.objects.filter(page=page).exclude(recipient__username="kjt-reviewer1").exists()
    # The e-mail is Wagtail's own (its notifier for group approval tasks), not a second one of ours.
    to_reviewer = [m for m in mail.outbox if "kjt-reviewer1@example.gov.cn" in m.to]
    assert len(to_reviewer) == 1


def test_reject_tells_the_author_with_the_comment_and_approval_tells_of_publication():
    page = draft()
    submit(page)
    reject(page, "kjt-reviewer1", "标题请改为规范表述")
    [sent_back] = [n for n in inbox("kjt-editor") if n.page_id == page.pk]
    assert sent_back.kind == "rejected"
    assert (
        sent_back.text == f"《{page.title}》被退回修改（科学技术厅-初审，kjt-reviewer1）：标题请改为规范表述"
    )

    resubmit(page)
    for reviewer in ("kjt-reviewer1", "kjt-reviewer2", "kjt-reviewer3"):
        act(page, reviewer)
    kinds = [n.kind for n in inbox("kjt-editor") if n.page_id == page.pk]
    assert kinds == ["rejected", "published"]
    assert not [n for n in inbox("kjt-reviewer3") if n.kind == "published"]  # not the one who published
    # Each step was announced to its own group only.
    assert [n.kind for n in inbox("kjt-reviewer2") if n.page_id == page.pk] == ["review"]


def test_messages_stay_in_their_department():
    reviewer = jyt_reviewer()
    page = draft("jyt.localhost", "jyt-editor")
    submit(page, "jyt-editor")
    recipients = set(Notification.objects.filter(page=page).values_list("recipient__username", flat=True))
    assert recipients == {reviewer.username}
    published = publish(draft())
    assert set(Notification.objects.filter(page=published).values_list("recipient__username", flat=True)) == {
        "kjt-editor"
    }


def test_menu_counts_unread_and_the_list_marks_them_read(client):
    page = draft()
    submit(page)
    other = draft("jyt.localhost", "jyt-editor")
    submit(other, "jyt-editor")
    reject(other, jyt_reviewer().username, "教育厅内部意见")
    client.force_login(demo_user("kjt-reviewer1"))
    unread = Notification.objects.filter(recipient__username="kjt-reviewer1", read_at__isnull=True).count()
    assert unread >= 1
    assert f"消息（{unread} 条未读）" in menu(client.get("/admin/").content.decode())

    listing = client.get("/admin/editorial/messages/").content.decode()
    assert page.title in listing and "（未读）" in listing
    assert other.title not in listing and "教育厅内部意见" not in listing
    assert not Notification.objects.filter(recipient__username="kjt-reviewer1", read_at__isnull=True).exists()
    assert "条未读" not in menu(client.get("/admin/editorial/messages/").content.decode())
