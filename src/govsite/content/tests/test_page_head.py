"""What keeps every public page type fast and well described in Lighthouse (bench/lighthouse.py runs
Lighthouse itself; these checks need no browser): a `<meta name="description">` on every page type,
the 无障碍浏览 button's place reserved in the server-rendered page (no layout shift when site.js reveals
it), and dynamic pages sent compressed."""

import gzip
import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.test import Client, RequestFactory

from govsite.content.models import ColumnPage, HomePage
from govsite.core.middleware import TextGZipMiddleware
from govsite.services.models import ServiceGuidePage

from .helpers import get_doc, meta, path_of, seed_article

pytestmark = pytest.mark.django_db


def public_page_types() -> dict[str, str]:
    """Every public page type's address on the seed site (bench/lighthouse.py audits the same list)."""
    article = path_of(seed_article())
    guide = ServiceGuidePage.objects.live().public().descendant_of(HomePage.objects.get(slug="kjt")).first()
    assert guide is not None
    return {
        "home": "/",
        "column list": article.rsplit("/", 2)[0] + "/",
        "article": article,
        "elder article": "/elder" + article,
        "search": "/search/?q=科技",
        "disclosure form": "/yisqgk/",
        "message form": "/liuyan/",
        "service guide": path_of(guide),
    }


def test_every_public_page_type_has_a_meta_description(client: Client) -> None:
    for name, address in public_page_types().items():
        description = meta(get_doc(client, address)).get("description", "")
        assert description.strip(), name


def test_the_description_is_the_pages_own_summary_else_the_sites(client: Client) -> None:
    article = seed_article()
    article.summary = "张江示范区十年发展的经验与做法。"
    article.save()
    assert meta(get_doc(client, path_of(article)))["description"] == "张江示范区十年发展的经验与做法。"
    article.search_description = "搜索引擎看到的描述"
    article.save()
    assert meta(get_doc(client, "/elder" + path_of(article)))["description"] == "搜索引擎看到的描述"
    column = ColumnPage.objects.get(pk=article.get_parent().pk)
    assert meta(get_doc(client, path_of(column)))["description"] == column.description.strip()
    search = meta(get_doc(client, "/search/?q=科技"))
    assert search["description"].startswith(search["SiteName"])  # the site's own description


def css_rules(static_path: str) -> str:
    found = finders.find(static_path)
    assert found, static_path
    with open(found, encoding="utf-8") as fh:
        return re.sub(r"/\*.*?\*/", "", fh.read(), flags=re.S)


def test_the_a11y_button_keeps_its_place_before_the_script_reveals_it(client: Client) -> None:
    """The button is in the HTML, hidden until site.js wires it up; site.css keeps its box (invisible,
    not display:none), so revealing it cannot wrap the top bar and push the page down (CLS 0.375
    on mobile before). Without scripting noscript.css removes the empty box for the <noscript> note."""
    doc = get_doc(client, "/")
    (button,) = doc.xpath("//header//button[@data-a11y-toolbar]")
    assert button.get("hidden") is not None and "a11y-toggle" in button.get("class")
    rule = re.search(r"\.topbar \.a11y-toggle\[hidden\]\s*\{([^}]*)\}", css_rules("govsite/css/site.css"))
    assert rule and "visibility: hidden" in rule.group(1) and "display: inline-block" in rule.group(1)
    (noscript_css,) = doc.xpath("//head/noscript/link[@rel='stylesheet']/@href")
    assert "noscript" in noscript_css
    assert re.search(r"\.a11y-toggle\[hidden\]\s*\{\s*display: none;", css_rules("govsite/css/noscript.css"))


def test_the_search_page_is_sent_compressed(client: Client) -> None:
    plain = client.get("/search/?q=科技", HTTP_HOST="kjt.localhost")
    response = client.get("/search/?q=科技", HTTP_HOST="kjt.localhost", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert len(response.content) < len(plain.content) / 3
    assert "科技" in gzip.decompress(response.content).decode()


@pytest.mark.parametrize(
    ("content_type", "compressed"),
    [("text/html; charset=utf-8", True), ("application/json", True), ("application/rss+xml", True),
     ("image/png", False), ("application/pdf", False)],
)  # fmt: skip
def test_only_text_responses_are_compressed(content_type: str, compressed: bool) -> None:
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")

    def view(_request: Any) -> HttpResponse:
        return HttpResponse(b"a" * 2000, content_type=content_type)

    response = TextGZipMiddleware(view)(request)
    assert isinstance(response, HttpResponse)
    assert (response.get("Content-Encoding") == "gzip") is compressed
