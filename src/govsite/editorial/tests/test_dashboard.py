"""The dashboard: each panel shows the user's department only, in a few queries."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from wagtail.models import Site, get_default_page_content_type

from govsite.editorial import dashboard
from govsite.editorial.scope import user_sites
from govsite.testing import demo_user

from .helpers import draft, jyt_reviewer, publish, reject, submit

pytestmark = pytest.mark.django_db


def scoped(username: str) -> Any:
    """A user whose sites are already known, as on the dashboard after the first panel (3 queries)."""
    user: Any = demo_user(username)
    user_sites(user)
    get_default_page_content_type()
    return user


def html(client, username: str) -> str:
    client.force_login(demo_user(username))
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_waiting_for_me_lists_my_departments_steps_with_findings_and_waiting_time(
    client, django_assert_max_num_queries
):
    blocked = draft(body="<p>联系电话13912345678。</p>")  # a mobile number blocks publication
    clean = draft()
    other = draft("jyt.localhost", "jyt-editor")
    submit(blocked)
    submit(clean)
    submit(other, "jyt-editor")
    reviewer = scoped("kjt-reviewer1")
    with django_assert_max_num_queries(7):  # the steps, their pages and columns, the stored checks
        rows = dashboard.waiting_for(reviewer)
    by_title = {row["page"].title: row for row in rows}
    assert by_title[blocked.title]["blocking"] == 1
    assert by_title[clean.title]["blocking"] == 0
    assert by_title[clean.title]["waited"].startswith("已等待")
    assert other.title not in by_title
    assert other.title in {row["page"].title for row in dashboard.waiting_for(jyt_reviewer())}
    assert dashboard.waiting_for(scoped("kjt-editor")) == []  # their own submissions do not wait on them

    text = html(client, "kjt-reviewer1")
    assert "待我审核" in text and blocked.title in text and "1 个阻止发布问题" in text
    assert other.title not in text


def test_waited_names_the_largest_whole_unit():
    now = timezone.now()
    assert dashboard.waited(now - timedelta(hours=3, minutes=20), now) == "已等待 3 小时"
    assert dashboard.waited(now - timedelta(days=2, hours=5), now) == "已等待 2 天"
    assert dashboard.waited(now - timedelta(seconds=5), now) == "已等待 1 分钟"


def test_sent_back_shows_the_reviewers_comment_to_the_author_only(client, django_assert_max_num_queries):
    page = draft()
    other = draft("jyt.localhost", "jyt-editor")
    submit(page)
    submit(other, "jyt-editor")
    reject(page, "kjt-reviewer1", "请核实第二段数据来源")
    reject(other, jyt_reviewer().username, "教育厅的退回意见")
    editor = scoped("kjt-editor")
    with django_assert_max_num_queries(3):
        rows = dashboard.sent_back(editor)
    assert [(r["page"].title, r["task_state"].comment, r["reviewer"]) for r in rows][:1] == [
        (page.title, "请核实第二段数据来源", "kjt-reviewer1")
    ]
    text = html(client, "kjt-editor")
    assert "被退回" in text and "请核实第二段数据来源" in text
    assert other.title not in text and "教育厅的退回意见" not in text


def test_my_drafts_are_mine_and_not_under_review(client, django_assert_max_num_queries):
    mine = draft()
    reviewing = draft()
    submit(reviewing)
    other = draft("jyt.localhost", "jyt-editor")
    editor = scoped("kjt-editor")
    with django_assert_max_num_queries(3):
        titles = [p.title for p in dashboard.my_drafts(editor, limit=100)]
    assert mine.title in titles
    assert reviewing.title not in titles and other.title not in titles
    assert other.title in [p.title for p in dashboard.my_drafts(scoped("jyt-editor"), limit=100)]
    assert mine.title in html(client, "kjt-editor")


def test_recently_published_and_update_counts_are_per_own_site(client, django_assert_max_num_queries):
    kjt, jyt = Site.objects.get(hostname="kjt.localhost"), Site.objects.get(hostname="jyt.localhost")
    editor = scoped("kjt-editor")

    def counts(user) -> dict[str, tuple[int, int]]:
        return {row.site.hostname: (row.week, row.month) for row in dashboard.site_updates(user)}

    before = counts(demo_user("platform-admin"))
    published = [publish(draft()), publish(draft()), publish(draft("jyt.localhost", "jyt-editor"))]
    after = counts(demo_user("platform-admin"))
    assert after[kjt.hostname] == (before[kjt.hostname][0] + 2, before[kjt.hostname][1] + 2)
    assert after[jyt.hostname] == (before[jyt.hostname][0] + 1, before[jyt.hostname][1] + 1)
    with django_assert_max_num_queries(2):
        assert set(counts(editor)) == {kjt.hostname}

    with django_assert_max_num_queries(2):
        recent = [row["page"].title for row in dashboard.recently_published(editor)]
    assert published[0].title in recent and published[1].title in recent
    assert published[2].title not in recent
    text = html(client, "kjt-editor")
    assert "最近发布" in text and "更新统计" in text and published[2].title not in text
    assert jyt.site_name not in text


def test_dashboard_puts_our_panels_first_and_replaces_wagtails_review_panel(client):
    page = draft()
    submit(page)
    text = html(client, "kjt-reviewer1")
    assert text.index("待我审核") < text.index("更新统计")
    assert 'id="workflow_objects_to_moderate' not in text  # Wagtail's own list of the same items
    assert "篇稿件待我审核" in text  # summary row
