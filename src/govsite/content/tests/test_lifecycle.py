"""撤稿 without dead links, 文件效力 banners and private attachments (page-lifecycle states)."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, PageLogEntry

from govsite.content import lifecycle as actions
from govsite.content.models import ArticleAttachment, ArticlePage
from govsite.content.tests.helpers import column, get, live_article, new_draft, path_of
from govsite.testing import demo_user as user

pytestmark = pytest.mark.django_db


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
    assert client.get(f"/admin/content/pages/{page.pk}/withdraw/").status_code in (302, 403)
    client.force_login(user("kjt-reviewer3"))
    assert client.get(f"/admin/content/pages/{page.pk}/withdraw/").status_code == 200


# --- 文件效力 ------------------------------------------------------------------------------------
def test_a_repealed_document_shows_a_banner_linking_to_its_replacement(client):
    old, new = live_article("zcwj"), ArticlePage.objects.live().child_of(column("zcwj")).last()
    assert "validity-banner" not in get(client, old).content.decode()
    actions.set_validity(old, user("kjt-editor"), "废止", new, "自 2021 年 6 月 1 日起废止。")
    html = get(client, old).content.decode()
    assert "validity-banner" in html and "本文件已废止" in html
    assert f'href="{path_of(new)}"' in html and new.title in html
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
