"""Helpers for content tests: parse pages, find demo pages, make drafts."""

import uuid
from typing import Any

from django.test import Client
from lxml import html
from wagtail.models import Site

from govsite.content.models import ArticlePage, ColumnPage
from govsite.testing import demo_user

SEED_TITLE = "当好“试验田”,走出新路子——张江示范区十年发展探索之路"


def seed_article() -> ArticlePage:
    return ArticlePage.objects.get(title=SEED_TITLE)


def get_doc(client: Client, url: str, host: str = "kjt.localhost", status: int = 200) -> html.HtmlElement:
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == status, (url, response.status_code)
    return html.fromstring(response.content.decode())


def meta(doc: html.HtmlElement) -> dict[str, str]:
    return {m.get("name"): m.get("content") for m in doc.xpath("//meta[@name]")}


def path_of(page) -> str:
    """The page's path on its own site (page.url is absolute when several sites exist)."""
    return page.specific.get_url_parts()[2]


def kjt() -> Site:
    return Site.objects.get(hostname="kjt.localhost")


def column(slug: str, host: str = "kjt.localhost") -> ColumnPage:
    return ColumnPage.objects.descendant_of(Site.objects.get(hostname=host).root_page).get(slug=slug)


def new_draft(
    slug: str = "gzdt", title: str = "测试稿件", host: str = "kjt.localhost", author: str = "kjt-editor"
) -> ArticlePage:
    """A draft article by `author` (kjt-editor) in one of the columns of a department's site (S&T)."""
    page = ArticlePage(
        title=title, slug=f"t-{uuid.uuid4().hex[:8]}", body="<p>正文。</p>", source="本厅", live=False
    )
    column(slug, host).add_child(instance=page)
    page.save_revision(user=demo_user(author))
    return ArticlePage.objects.get(pk=page.pk)


def live_article(slug: str = "tzgg") -> ArticlePage:
    return ArticlePage.objects.live().child_of(column(slug)).first()


def get(client: Client, page: Any) -> Any:
    """The page as a reader of the S&T site asks for it."""
    return client.get(path_of(page), HTTP_HOST="kjt.localhost")
