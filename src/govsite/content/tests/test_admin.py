"""Editors create and publish content through the Wagtail admin, in Chinese, without typing slugs."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Site

from govsite.content.models import ArticlePage, ColumnPage
from govsite.core.slugs import is_ascii_slug, pinyin_slug

from .helpers import editor_post, path_of

pytestmark = pytest.mark.django_db


def kjt_column(slug: str) -> ColumnPage:
    return ColumnPage.objects.descendant_of(Site.objects.get(hostname="kjt.localhost").root_page).get(
        slug=slug
    )


def article_form(client: Client, url: str, title: str, **extra: str) -> dict[str, str]:
    """The editor's POST of a new article (or an edit) titled `title`, with its required 来源."""
    return editor_post(client, url, title=title, source="内蒙古自治区科学技术厅", **extra)


def test_editor_publishes_an_article_from_the_admin(client):
    # Under 三审 (govsite.workflow) only the platform administrator publishes without review.
    client.force_login(get_user_model().objects.get(username="platform-admin"))
    column = kjt_column("gzdt")
    add_url = f"/admin/pages/add/govsite_content/articlepage/{column.pk}/"
    response = client.post(
        add_url,
        article_form(client, add_url, "自治区科技厅召开创新工作座谈会", **{"action-publish": "publish"}),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = ArticlePage.objects.get(title="自治区科技厅召开创新工作座谈会")
    assert article.live
    assert article.slug.isascii() and article.slug
    assert article.pub_date is not None
    assert client.get(path_of(article), HTTP_HOST="kjt.localhost").status_code == 200

    # editing later keeps the 发布日期 even though the form does not submit it
    edit_url = f"/admin/pages/{article.pk}/edit/"
    edit = client.post(
        edit_url,
        article_form(
            client, edit_url, "自治区科技厅召开创新工作座谈会（更新）", **{"action-publish": "publish"}
        ),
    )
    assert edit.status_code == 302, edit.content.decode()[:2000]
    updated = ArticlePage.objects.get(pk=article.pk)
    assert updated.title.endswith("（更新）")
    assert updated.pub_date == article.pub_date


def test_admin_is_in_chinese(client):
    client.force_login(get_user_model().objects.get(username="platform-admin"))
    html = client.get("/admin/").content.decode()
    assert 'lang="zh-hans"' in html
    assert "<title>控制面板 - 政府网站集约化平台</title>" in html


@pytest.mark.parametrize(
    ("title", "sent", "taken"),
    [
        ("重大专项通过验收 科技成果转化再提速", "-", ""),  # the browser's residue of a spaced title
        ("2026年全区科技工作要点", "2026", "2026"),  # an ASCII fragment another article has
        ("5G应用示范项目启动", "5g", "5g"),
        ("科技特派员工作会议", "科技特派员", ""),  # non-ASCII
        ("科技特派员工作会议", "", ""),
        ("科技特派员工作会议", "a b", ""),  # not a slug at all
    ],
)
def test_a_slug_never_stops_a_new_article_from_being_saved(client, title, sent, taken):
    client.force_login(get_user_model().objects.get(username="platform-admin"))
    column = kjt_column("gzdt")
    if taken:
        column.add_child(
            instance=ArticlePage(title=f"已有稿件{taken}", slug=taken, body="<p>正文。</p>", source="本厅")
        )
    add_url = f"/admin/pages/add/govsite_content/articlepage/{column.pk}/"
    response = client.post(add_url, article_form(client, add_url, title, slug=sent))
    assert response.status_code == 302, response.content.decode()[:3000]
    article = ArticlePage.objects.child_of(column).get(title=title)
    assert is_ascii_slug(article.slug)
    assert article.slug.startswith(pinyin_slug(title))
    assert column.get_children().filter(slug=article.slug).count() == 1


def test_a_slug_the_editor_typed_is_kept_and_made_unique(client):
    client.force_login(get_user_model().objects.get(username="platform-admin"))
    column = kjt_column("gzdt")
    add_url = f"/admin/pages/add/govsite_content/articlepage/{column.pk}/"
    for _ in range(2):
        response = client.post(add_url, article_form(client, add_url, "全区科技工作会议召开", slug="kjgzhy"))
        assert response.status_code == 302, response.content.decode()[:3000]
    slugs = set(
        ArticlePage.objects.child_of(column)
        .filter(title="全区科技工作会议召开")
        .values_list("slug", flat=True)
    )
    assert slugs == {"kjgzhy", "kjgzhy-2"}


def _explorer_order(client, parent) -> list[int]:
    """The ids of the parent's children in the order the explorer lists them."""
    html = client.get(f"/admin/pages/{parent.pk}/").content.decode()
    return [int(pk) for pk in re.findall(r'id="page_(\d+)_title"', html)]


def test_explorer_lists_columns_in_menu_order_and_articles_newest_first(client):
    client.force_login(get_user_model().objects.get(username="platform-admin"))
    home = Site.objects.get(hostname="kjt.localhost").root_page
    kjdt = kjt_column("kjdt")  # sub-columns only
    for parent in (home, kjdt):
        children = list(parent.get_children().specific())
        children[-1].save_revision()  # the last one in the menu is the most recently edited
        assert _explorer_order(client, parent) == [c.pk for c in children]

    gzdt = kjt_column("gzdt")  # articles: the last edited first
    oldest = ArticlePage.objects.child_of(gzdt).order_by("path").first()
    oldest.save_revision()
    assert _explorer_order(client, gzdt)[0] == oldest.pk
