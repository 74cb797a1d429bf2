"""One visibility rule (content/visibility.py), asked by every consumer.

A withdrawn (撤稿), a view-restricted, an expired (expire_at passed, not yet unpublished by the
scheduler) and an unpublished article are absent from the column list, its RSS feed, the XML
sitemap, the search index and results, the link check and the publisher's targets, and their
attachments are not served; restoring each one brings it back everywhere. Information pages show
the same in the HTML and XML site maps.
"""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.models import Collection, Page, PageViewRestriction, Site

from govsite.checks.services import internal_link_problem
from govsite.content import lifecycle, visibility
from govsite.content.models import ArticleAttachment, ArticlePage, ColumnPage, InfoPage, listed_articles
from govsite.content.sitemaps import month_sitemap_path
from govsite.content.tests.helpers import path_of
from govsite.demo.builder import minimal_pdf
from govsite.publishing.targets import site_addresses
from govsite.search.indexer import index_page
from govsite.search.models import SearchDocument

pytestmark = pytest.mark.django_db
KJT = "kjt.localhost"
STATES = ("withdrawn", "restricted", "expired", "unpublished")


def kjt() -> Site:
    return Site.objects.get(hostname=KJT)


def admin():
    return get_user_model().objects.filter(is_superuser=True).first()


def column() -> ColumnPage:
    return ColumnPage.objects.descendant_of(kjt().root_page).get(slug="gzdt")


def attachment(word: str):
    document = get_document_model()(title=f"附件{word}", collection=Collection.objects.get(name="科学技术厅"))
    document.file.save(f"{uuid.uuid4().hex[:6]}-f.pdf", ContentFile(minimal_pdf(word)), save=False)
    document.save()
    return document


def new_article(state: str) -> tuple[ArticlePage, object]:
    word = f"可见性{state}{uuid.uuid4().hex[:4]}"
    page = ArticlePage(title=f"测试稿件{word}", source="本厅", body=f"<p>正文{word}。</p>")
    column().add_child(instance=page)
    document = attachment(word)
    ArticleAttachment.objects.create(page=page, document=document)
    page.save_revision(user=admin()).publish(user=admin())
    return ArticlePage.objects.get(pk=page.pk), document


def new_info_page(state: str) -> InfoPage:
    page = InfoPage(title=f"测试信息页{state}{uuid.uuid4().hex[:4]}", body="<p>正文。</p>")
    column().add_child(instance=page)
    page.save_revision(user=admin()).publish(user=admin())
    return InfoPage.objects.get(pk=page.pk)


def hide(page: Page, state: str) -> None:
    if state == "withdrawn":
        lifecycle.withdraw(page, admin(), "notice", "已撤回。")
    elif state == "restricted":
        PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    elif state == "expired":  # past its 下线时间; the scheduler has not run yet
        Page.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    else:
        page.unpublish(user=admin())


def show(page: Page, state: str) -> None:
    if state == "withdrawn":
        lifecycle.restore(page, admin())
    elif state == "restricted":
        for restriction in PageViewRestriction.objects.filter(page=page):
            restriction.delete()
    elif state == "expired":
        Page.objects.filter(pk=page.pk).update(expire_at=None)
        index_page(page)  # as publishing it again with a new 下线时间 does
    else:
        page.specific.get_latest_revision().publish(user=admin())


def text(client: Client, url: str) -> str:
    response = client.get(url, HTTP_HOST=KJT)
    return response.content.decode() if response.status_code == 200 else ""


def visible_in(client: Client, article: ArticlePage, document: AbstractDocument) -> dict[str, bool]:
    """Where a reader (or the publisher, or a link check) finds the article."""
    article = ArticlePage.objects.get(pk=article.pk)
    address = path_of(article)
    col = column()
    search_api = client.get("/search/api/", {"q": article.title[4:]}, HTTP_HOST=KJT).content.decode()
    targets = {path for addr in site_addresses(kjt()) for path in addr.paths()}
    index_page(article)  # what the index holds once it has looked at the page again
    return {
        "list page": article.title in text(client, path_of(col)),
        "rss feed": article.title in text(client, path_of(col) + "rss.xml"),
        "sitemap": article.pub_date is not None
        and address in text(client, month_sitemap_path(article.pub_date)),
        "search api": address in search_api,
        "search index": SearchDocument.objects.filter(page_id=article.pk).exists(),
        "link check": internal_link_problem(kjt())("page", str(article.pk)) == "",
        "document download": client.get(document.url).status_code == 200,
        "publisher targets": address in targets,
        "listed_articles": listed_articles().filter(pk=article.pk).exists(),
        "is_listed": visibility.is_listed(article),
    }


@pytest.mark.parametrize("state", STATES)
def test_a_hidden_article_is_absent_from_every_consumer_and_back_after_restore(client, state):
    article, document = new_article(state)
    assert all(visible_in(client, article, document).values()), visible_in(client, article, document)

    hide(article, state)
    found = visible_in(client, article, document)
    if state == "withdrawn":
        # The withdrawn address still answers with its notice, so the publisher keeps writing it.
        assert found.pop("publisher targets") is True
        assert visibility.is_public(ArticlePage.objects.get(pk=article.pk))
    assert not any(found.values()), {name: seen for name, seen in found.items() if seen}

    show(article, state)
    found = visible_in(client, article, document)
    assert all(found.values()), {name: seen for name, seen in found.items() if not seen}


@pytest.mark.parametrize("state", STATES)
def test_a_hidden_information_page_leaves_the_site_maps_and_menus_of_its_column(client, state):
    page = new_info_page(state)
    col = column()

    def seen() -> dict[str, bool]:
        return {
            "html sitemap": page.title in text(client, "/sitemap/"),
            "xml sitemap": path_of(page) in text(client, "/sitemaps/pages.xml"),
            "column info pages": col.info_children().filter(pk=page.pk).exists(),
        }

    assert all(seen().values()), seen()
    hide(page, state)
    assert not any(seen().values()), seen()
    show(page, state)
    assert all(seen().values()), seen()


def test_an_expired_page_is_not_served_before_the_scheduler_unpublishes_it(client):
    article, _document = new_article("expired")
    assert client.get(path_of(article), HTTP_HOST=KJT).status_code == 200
    hide(article, "expired")
    assert client.get(path_of(article), HTTP_HOST=KJT).status_code == 404
