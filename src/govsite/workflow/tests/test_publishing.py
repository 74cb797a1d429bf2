"""Scheduling, 联合发布, 撤稿 without dead links, 文件效力 banners and private attachments."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, PageLogEntry, Revision, Site

from govsite.content.models import ArticleAttachment, ArticlePage, ColumnPage
from govsite.testing import demo_user as user
from govsite.workflow import actions
from govsite.workflow.scheduler import run_once

pytestmark = pytest.mark.django_db


def kjt() -> Site:
    return Site.objects.get(hostname="kjt.localhost")


def column(slug: str) -> ColumnPage:
    return ColumnPage.objects.descendant_of(kjt().root_page).get(slug=slug)


def new_draft(slug: str = "gzdt", title: str = "测试稿件") -> ArticlePage:
    page = ArticlePage(
        title=title, slug=f"t-{uuid.uuid4().hex[:8]}", body="<p>正文。</p>", source="本厅", live=False
    )
    column(slug).add_child(instance=page)
    page.save_revision(user=user("kjt-editor"))
    return ArticlePage.objects.get(pk=page.pk)


def live_article(slug: str = "tzgg") -> ArticlePage:
    return ArticlePage.objects.live().child_of(column(slug)).first()


def path_of(page) -> str:
    return page.specific.get_url_parts()[2]


def get(client, page):
    return client.get(path_of(page), HTTP_HOST="kjt.localhost")


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


# --- 撤稿 ----------------------------------------------------------------------------------------
def test_withdrawal_leaves_a_notice_a_410_or_a_redirect_never_a_404(client):
    page, replacement = live_article("tzgg"), live_article("gzdt")
    publisher = user("kjt-reviewer3")
    actions.withdraw(page, publisher, "notice", "该通知已过时，已撤回。")
    response = get(client, page)
    assert response.status_code == 200
    html = response.content.decode()
    assert "该信息已撤回" in html and "该通知已过时，已撤回。" in html and page.title in html

    actions.withdraw(page, publisher, "gone", "已撤回。", replacement)
    response = get(client, page)
    assert response.status_code == 410
    assert replacement.title in response.content.decode()

    actions.withdraw(page, publisher, "redirect", "已被新通知替代。", replacement)
    response = get(client, page)
    assert response.status_code == 301
    assert response["Location"].endswith(path_of(replacement))

    logged = PageLogEntry.objects.filter(page=page, action="govsite.withdraw", user=publisher)
    assert logged.count() == 3
    with pytest.raises(ValidationError):
        actions.withdraw(page, publisher, "redirect", "没有替代页面")

    actions.restore(page, publisher)
    assert get(client, page).status_code == 200
    assert "该信息已撤回" not in get(client, page).content.decode()
    assert PageLogEntry.objects.filter(page=page, action="govsite.withdraw.restore").exists()


def test_editors_cannot_withdraw(client):
    page = live_article("tzgg")
    client.force_login(user("kjt-editor"))
    assert client.get(f"/admin/workflow/pages/{page.pk}/withdraw/").status_code in (302, 403)
    client.force_login(user("kjt-reviewer3"))
    assert client.get(f"/admin/workflow/pages/{page.pk}/withdraw/").status_code == 200


# --- 文件效力 ------------------------------------------------------------------------------------
def test_a_repealed_document_shows_a_banner_linking_to_its_replacement(client):
    old, new = live_article("zcwj"), ArticlePage.objects.live().child_of(column("zcwj")).last()
    assert "validity-banner" not in get(client, old).content.decode()
    actions.set_validity(old, user("kjt-editor"), "废止", new, "自 2021 年 6 月 1 日起废止。")
    html = get(client, old).content.decode()
    assert "validity-banner" in html and "本文件已废止" in html
    assert f'href="{new.url}"' in html and new.title in html
    actions.set_validity(old, user("kjt-editor"), "已修改", new)
    assert "本文件已修改" in get(client, old).content.decode()
    actions.set_validity(old, user("kjt-editor"), "有效")
    assert "validity-banner" not in get(client, old).content.decode()
    assert PageLogEntry.objects.filter(page=old, action="govsite.validity").count() == 3


# --- attachments private until published ---------------------------------------------------------
def attach(page: ArticlePage, name: str = "fujian.pdf"):
    # Uploaded, as editors do, into the department's collection (its editors preview it).
    document = get_document_model()(title="附件", collection=Collection.objects.get(name="科学技术厅"))
    document.file.save(f"{uuid.uuid4().hex[:6]}-{name}", ContentFile(b"%PDF-1.4 test"), save=False)
    document.save()
    ArticleAttachment.objects.create(page=page, document=document)
    page.save_revision(user=user("kjt-editor"))
    return document


def test_attachments_are_private_until_the_page_is_published_and_again_after_withdrawal(client):
    page = new_draft()
    document = attach(page)
    url = document.url
    assert client.get(url).status_code == 404  # the public cannot fetch a draft's attachment
    client.force_login(user("kjt-editor"))
    assert client.get(url).status_code == 200  # the editor previews it
    client.logout()

    ArticlePage.objects.get(pk=page.pk).get_latest_revision().publish(user=user("kjt-reviewer3"))
    assert client.get(url).status_code == 200

    actions.withdraw(page, user("kjt-reviewer3"), "notice", "撤回")
    assert client.get(url).status_code == 404
    actions.restore(page, user("kjt-reviewer3"))
    assert client.get(url).status_code == 200

    ArticlePage.objects.get(pk=page.pk).unpublish(user=user("kjt-reviewer3"))
    assert client.get(url).status_code == 404
    assert PageLogEntry.objects.filter(page=page, action="wagtail.unpublish").exists()


def test_document_files_are_never_served_directly_from_media(client):
    document = attach(live_article("tzgg"))
    assert client.get("/media/" + document.file.name).status_code == 404
