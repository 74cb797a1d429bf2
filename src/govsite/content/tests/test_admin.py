"""Editors create and publish content through the Wagtail admin, in Chinese, without typing slugs."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Site

from govsite.content.models import ArticlePage, ColumnPage

from .helpers import body_form, path_of

pytestmark = pytest.mark.django_db


def kjt_column(slug: str) -> ColumnPage:
    return ColumnPage.objects.descendant_of(Site.objects.get(hostname="kjt.localhost").root_page).get(
        slug=slug
    )


def article_form(title: str, body: str = "<p>正文内容。</p>", **extra: str) -> dict[str, str]:
    data = {
        "title": title,
        "slug": "",
        "source": "内蒙古自治区科学技术厅",
        "pub_date": "",
        "author": "",
        "responsible_editor": "",
        "summary": "",
        "keywords": "",
        **body_form(body),
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(extra)
    return data


def test_editor_publishes_an_article_from_the_admin(client):
    # Under 三审 (govsite.workflow) only the platform administrator publishes without review.
    client.force_login(get_user_model().objects.get(username="admin"))
    column = kjt_column("gzdt")
    add_url = f"/admin/pages/add/govsite_content/articlepage/{column.pk}/"
    assert client.get(add_url).status_code == 200
    response = client.post(
        add_url, article_form("自治区科技厅召开创新工作座谈会", **{"action-publish": "publish"})
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = ArticlePage.objects.get(title="自治区科技厅召开创新工作座谈会")
    assert article.live
    assert article.slug.isascii() and article.slug
    assert article.pub_date is not None
    assert client.get(path_of(article), HTTP_HOST="kjt.localhost").status_code == 200

    # editing later keeps the 发布日期 even though the form does not submit it
    edit = client.post(
        f"/admin/pages/{article.pk}/edit/",
        article_form(
            "自治区科技厅召开创新工作座谈会（更新）", slug=article.slug, **{"action-publish": "publish"}
        ),
    )
    assert edit.status_code == 302, edit.content.decode()[:2000]
    updated = ArticlePage.objects.get(pk=article.pk)
    assert updated.title.endswith("（更新）")
    assert updated.pub_date == article.pub_date


def test_admin_is_in_chinese(client):
    client.force_login(get_user_model().objects.get(username="admin"))
    html = client.get("/admin/").content.decode()
    assert 'lang="zh-hans"' in html
    assert "<title>控制面板 - 政府网站集约化平台</title>" in html
