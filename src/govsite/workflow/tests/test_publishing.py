"""Scheduling and 联合发布. (撤稿, 文件效力 and private attachments: content/tests/test_lifecycle.py.)"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

from govsite.content.models import ArticlePage
from govsite.content.tests.helpers import new_draft
from govsite.testing import demo_user as user
from govsite.workflow import actions
from govsite.workflow.scheduler import run_once

pytestmark = pytest.mark.django_db


def make_due(page) -> None:
    """Move a scheduled publication into the past, as if its minute had come."""
    past = timezone.now() - timedelta(minutes=1)
    for revision in Revision.page_revisions.filter(object_id=str(page.pk), approved_go_live_at__isnull=False):
        revision.content["go_live_at"] = past.isoformat()
        revision.approved_go_live_at = past
        revision.save()
    ArticlePage.objects.filter(pk=page.pk).update(go_live_at=past)


# --- scheduling ----------------------------------------------------------------------------------
def test_the_platform_publishes_and_unpublishes_at_the_set_time():
    page = new_draft()
    page.go_live_at = timezone.now() + timedelta(hours=1)
    page.save_revision(user=user("kjt-reviewer3")).publish(user=user("kjt-reviewer3"))
    page = ArticlePage.objects.get(pk=page.pk)
    assert not page.live
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish.schedule").exists()
    run_once()
    assert not ArticlePage.objects.get(pk=page.pk).live  # not yet
    make_due(page)
    run_once()
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish.scheduled").exists()

    ArticlePage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(seconds=1))
    run_once()
    assert not ArticlePage.objects.get(pk=page.pk).live
    assert PageLogEntry.objects.filter(page=page, action="wagtail.unpublish.scheduled").exists()


def test_a_coordinated_release_publishes_policy_interpretation_and_news_at_one_moment():
    policy, interpretation, news = (
        new_draft("zcwj", "政策"),
        new_draft("zcjd", "解读"),
        new_draft("gzdt", "新闻"),
    )
    at = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError):
        actions.schedule_release(
            "过去的时间", timezone.now() - timedelta(minutes=1), [policy], user("kjt-reviewer3")
        )
    release = actions.schedule_release(
        "某政策发布", at, [policy, interpretation, news], user("kjt-reviewer3")
    )
    assert release.pages.count() == 3
    pages = [ArticlePage.objects.get(pk=p.pk) for p in (policy, interpretation, news)]
    assert not any(p.live for p in pages)
    for page in pages:
        make_due(page)
    run_once()
    pages = [ArticlePage.objects.get(pk=p.pk) for p in pages]
    assert all(p.live for p in pages)
    assert len({p.last_published_at.replace(microsecond=0, second=0) for p in pages}) == 1
    assert PageLogEntry.objects.filter(action="govsite.release", page__in=pages).count() == 3


def test_a_release_is_all_or_nothing_when_one_page_fails_its_checks():
    good, bad = new_draft("zcwj", "政策"), new_draft("zcjd", "解读")
    bad.body = "<p>联系人手机 13912345678</p>"
    bad.save_revision(user=user("kjt-editor"))
    with pytest.raises(ValidationError, match="解读"):
        actions.schedule_release(
            "联合发布", timezone.now() + timedelta(days=1), [good, bad], user("kjt-reviewer3")
        )
    assert not Revision.page_revisions.filter(object_id=str(good.pk), approved_go_live_at__isnull=False)
