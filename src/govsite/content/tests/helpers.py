"""Helpers for content tests: parse pages, find demo pages."""

from django.test import Client
from lxml import html

from govsite.content.models import ArticlePage

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
