"""The publication gate: blocking findings stop a page going live on every path, overrides let it pass."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction
from wagtail.models import PageLogEntry, Revision, Site

from govsite.checks.gate import PublicationBlocked
from govsite.checks.models import CheckOverride, WordRule
from govsite.checks.services import latest_findings
from govsite.content.body import body_text
from govsite.content.models import ArticlePage, ColumnPage
from govsite.workflow import actions
from govsite.workflow.scheduler import run_once

pytestmark = pytest.mark.django_db
VALID_ID = "11010519491231002X"  # a valid 居民身份证号码: a blocking finding


def user(name: str):
    return get_user_model().objects.get(username=name)


def column(slug: str = "gzdt") -> ColumnPage:
    kjt = Site.objects.get(hostname="kjt.localhost")
    return ColumnPage.objects.descendant_of(kjt.root_page).get(slug=slug)


def draft(body: str = "<p>正文。</p>", title: str = "测试稿件", slug: str = "gzdt") -> ArticlePage:
    page = ArticlePage(title=title, slug=f"g-{uuid.uuid4().hex[:8]}", body=body, source="本厅", live=False)
    column(slug).add_child(instance=page)
    page.save_revision(user=user("kjt-editor"))
    return ArticlePage.objects.get(pk=page.pk)


def with_id_number() -> ArticlePage:
    return draft(f"<p>获奖人身份证号 {VALID_ID}。</p>")


def reload(page: ArticlePage) -> ArticlePage:
    return ArticlePage.objects.get(pk=page.pk)


def schedule(page: ArticlePage) -> None:
    """Schedule the latest revision, then move its minute into the past (as if it had come)."""
    revision = page.get_latest_revision()
    scheduled = revision.as_object()
    scheduled.go_live_at = timezone.now() + timedelta(hours=1)
    scheduled.save_revision(user=user("platform-admin"), clean=False).publish(user=user("platform-admin"))
    make_due(page)


def make_due(page: ArticlePage) -> None:
    past = timezone.now() - timedelta(minutes=1)
    for revision in Revision.page_revisions.filter(object_id=str(page.pk), approved_go_live_at__isnull=False):
        revision.content["go_live_at"] = past.isoformat()
        revision.approved_go_live_at = past
        revision.save()


def override_all(page: ArticlePage) -> None:
    for finding in latest_findings(page):
        if finding.blocking:
            CheckOverride.objects.create(
                page=page, key=finding.key, message=finding.message, reason="依法公示"
            )


def blocked_entries(page: ArticlePage) -> list[PageLogEntry]:
    return list(PageLogEntry.objects.filter(page=page, action="govsite.checks.blocked"))


def test_revision_publish_from_the_shell_is_refused_and_leaves_nothing_half_published():
    page = with_id_number()
    with pytest.raises(PublicationBlocked, match="居民身份证号码") as refused:
        page.get_latest_revision().publish()
    assert isinstance(refused.value, ValidationError)
    page = reload(page)
    assert not page.live and page.live_revision_id is None and page.first_published_at is None
    assert not PageLogEntry.objects.filter(page=page, action="wagtail.publish").exists()


def test_a_clean_page_and_an_overridden_page_are_published_as_before():
    clean = draft()
    clean.get_latest_revision().publish()
    assert reload(clean).live
    page = with_id_number()
    override_all(page)
    page.get_latest_revision().publish()
    assert reload(page).live


def test_a_new_live_revision_of_a_live_page_is_checked_too():
    page = draft()
    page.get_latest_revision().publish()
    page = reload(page)
    page.body = f"<p>更正：身份证号 {VALID_ID}</p>"
    with pytest.raises(PublicationBlocked):
        page.save_revision().publish()
    assert VALID_ID not in body_text(reload(page).body)  # the live version is unchanged


def test_the_scheduler_skips_and_logs_a_refused_page_and_publishes_the_others():
    bad, good = with_id_number(), draft()
    schedule(bad)
    schedule(good)
    run_once()
    assert reload(good).live
    assert not reload(bad).live
    entry = blocked_entries(bad)[0]
    assert entry.data["attempted"] == "scheduled" and "身份证" in entry.data["findings"][0]
    # The refused revision is no longer due: the next run does not try (and log) it again.
    run_once()
    assert len(blocked_entries(bad)) == 1


def test_a_coordinated_release_publishes_the_pages_that_still_pass_when_their_minute_comes():
    policy, news = draft(title="政策"), draft(title="新闻通稿", slug="zcjd")
    actions.schedule_release(
        "联合发布", timezone.now() + timedelta(days=1), [policy, news], user("kjt-reviewer3")
    )
    # After scheduling, the platform's word list learns a word the news item uses.
    WordRule.objects.create(site=None, kind="sensitive", word="新闻通稿", severity="blocking")
    make_due(policy)
    make_due(news)
    run_once()
    assert reload(policy).live
    assert not reload(news).live
    assert blocked_entries(news)


def test_urgent_publish_is_refused_with_blocking_findings_and_passes_with_an_override():
    page = with_id_number()
    with pytest.raises(ValidationError):
        actions.urgent_publish(page, user("kjt-reviewer3"), "突发事件")
    assert not reload(page).live
    override_all(page)
    actions.urgent_publish(page, user("kjt-reviewer3"), "突发事件")
    assert reload(page).live


def test_bulk_publish_is_refused_also_for_the_drafts_below_the_selected_pages(client):
    parent = draft(title="专题")
    parent.get_latest_revision().publish()
    child = ArticlePage(
        title="子页", slug=f"c-{uuid.uuid4().hex[:8]}", body=f"<p>{VALID_ID}</p>", source="本厅"
    )
    child.live = False
    reload(parent).add_child(instance=child)
    child.save_revision(user=user("kjt-editor"))
    client.force_login(user("platform-admin"))
    url = f"/admin/bulk/wagtailcore/page/publish/?id={parent.pk}"
    response = client.post(url, {"include_descendants": "on"})
    assert response.status_code == 302
    assert not reload(child).live
    # The gate itself, below the admin's friendly refusal.
    with pytest.raises(PublicationBlocked):
        PublishBulkAction.execute_action(
            [reload(parent)], include_descendants=True, user=user("platform-admin")
        )
    assert not reload(child).live


def test_a_page_created_live_is_checked_like_any_publication():
    """An import or a script that adds a page already live (add_child, no revision) goes through the gate."""
    page = ArticlePage(
        title="导入的稿件",
        slug=f"g-{uuid.uuid4().hex[:8]}",
        body=f"<p>身份证号 {VALID_ID}。</p>",
        source="本厅",
        live=True,
    )
    with pytest.raises(PublicationBlocked):
        column().add_child(instance=page)
    assert not ArticlePage.objects.filter(title="导入的稿件").exists()
    clean = ArticlePage(
        title="导入的干净稿件", slug=f"g-{uuid.uuid4().hex[:8]}", body="<p>正文。</p>", source="本厅"
    )
    column().add_child(instance=clean)
    assert reload(clean).live
