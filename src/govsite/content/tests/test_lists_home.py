"""Lists and home page: 置顶 first (with expiry), thumbnails, 焦点图, 外链稿, and the 回收站."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from lxml import html
from wagtail.images import get_image_model

from govsite.content import recycle
from govsite.content.lifecycle import expire_pins
from govsite.content.models import ArticlePage, RecycledPage
from govsite.content.tests.helpers import column, get_doc, kjt, new_draft, path_of
from govsite.testing import demo_user as user

pytestmark = pytest.mark.django_db


def list_titles(doc: html.HtmlElement, scope: str = "//ul[@class='article-list']") -> list[str]:
    return [a.text_content() for a in doc.xpath(f"{scope}/li/a")]


def feed_titles(client, slug_path: str) -> list[str]:
    response = client.get(slug_path + "rss.xml", HTTP_HOST="kjt.localhost")
    return [t.text for t in html.fromstring(response.content).xpath("//item/title")]


def pin(article: ArticlePage, **fields) -> ArticlePage:
    for name, value in {"pinned": True, **fields}.items():
        setattr(article, name, value)
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


# --- 置顶 and ordering ------------------------------------------------------------------------------
def test_pinned_articles_come_first_in_column_home_and_feed_until_their_pin_ends(client):
    gzdt = column("gzdt")
    oldest, second_oldest = gzdt.articles().order_by("pub_date")[:2]
    assert list_titles(get_doc(client, path_of(gzdt)))[0] != oldest.title  # date order before
    pin(oldest, sort_weight=1)
    pin(second_oldest, sort_weight=5)  # the higher 排序权重 first

    doc = get_doc(client, path_of(gzdt))
    assert list_titles(doc)[:2] == [second_oldest.title, oldest.title]
    assert doc.xpath("//ul[@class='article-list']/li[1]//span[contains(@class, 'tag-pinned')]")
    home = get_doc(client, "/")
    block = f"//section[@aria-labelledby='col-{column('kjdt').pk}']/ul"
    assert list_titles(home, block)[:2] == [second_oldest.title, oldest.title]
    assert feed_titles(client, path_of(gzdt))[:2] == [second_oldest.title, oldest.title]

    # 置顶截止时间 passed: lists show date order at once; the clock clears the flag (and re-publishes)
    ArticlePage.objects.filter(pk=second_oldest.pk).update(pinned_until=timezone.now() - timedelta(minutes=1))
    assert list_titles(get_doc(client, path_of(gzdt)))[0] == oldest.title
    assert feed_titles(client, path_of(gzdt))[0] == oldest.title
    assert expire_pins() == 1
    assert ArticlePage.objects.get(pk=second_oldest.pk).pinned is False
    assert ArticlePage.objects.get(pk=oldest.pk).pinned is True


# --- 标题图片 and 焦点图 --------------------------------------------------------------------------
def test_listing_shows_title_image_thumbnails_with_alt_text(client):
    doc = get_doc(client, path_of(column("gzdt")))
    images = doc.xpath("//ul[@class='article-list']/li/span[@class='thumb']/img")
    assert images, "the demo's 工作动态 have title images"
    for img in images:
        assert img.get("alt").startswith("示例配图：")
        assert "fill-160x100" in img.get("src")  # a rendition, not the original upload


def test_a_title_image_without_any_text_alternative_is_refused():
    article = ArticlePage.objects.filter(title_image__isnull=False).first()
    get_image_model().objects.filter(pk=article.title_image_id).update(description="")
    article = ArticlePage.objects.get(pk=article.pk)
    article.title_image_alt = ""
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert "title_image_alt" in refused.value.message_dict


def test_home_page_focus_images_work_without_script(client):
    doc = get_doc(client, "/")
    (focus,) = doc.xpath("//section[@data-focus]")
    slides = focus.xpath(".//figure[contains(@class, 'focus-slide')]")
    links = focus.xpath(".//ol[@class='focus-links']/li/a")
    assert len(slides) == len(links) >= 3
    assert slides[0].get("hidden") is None and all(s.get("hidden") is not None for s in slides[1:])
    assert all(img.get("alt") for img in focus.xpath(".//img"))
    focus_articles = ArticlePage.objects.filter(in_focus=True, live=True)
    assert {a.text_content() for a in links} <= {a.title for a in focus_articles}
    assert focus.xpath(".//button[@class='focus-pause'][@hidden]")  # shown only by the script
    # The image repeats the title link: out of the tab order and hidden from screen readers.
    assert all(a.get("aria-hidden") == "true" for a in focus.xpath(".//figure//a"))


def test_the_elder_home_has_no_carousel_and_no_off_site_links(client):
    """适老化: nothing moves by itself, and a 外链稿 goes through its own leaving notice."""
    doc = get_doc(client, "/elder/")
    (focus,) = doc.xpath("//section[contains(@class, 'focus')]")
    assert focus.get("data-focus") is None and not focus.xpath(".//button")
    assert len(focus.xpath(".//figure")) == 1
    hrefs = [a.get("href") for a in doc.xpath("//main//a")]
    assert hrefs and not [h for h in hrefs if h.startswith(("http://", "https://"))]
    external = ArticlePage.objects.get(slug="wl-zgzfw")
    listing = get_doc(client, "/elder" + path_of(column("tzgg")))
    (link,) = listing.xpath(f"//ul[@class='article-list']/li/a[text()='{external.title}']")
    assert link.get("href") == "/elder" + path_of(external)  # its page says 即将离开本站 first


# --- 外链稿 ------------------------------------------------------------------------------------------
def test_external_article_links_out_from_its_listing(client):
    external = ArticlePage.objects.get(slug="wl-zgzfw")
    doc = get_doc(client, path_of(column("tzgg")))
    (link,) = doc.xpath(f"//ul[@class='article-list']/li/a[text()='{external.title}']")
    assert link.get("href") == external.external_url
    assert "noopener" in link.get("rel")
    assert link.getparent().xpath("span[contains(@class, 'tag-external')][text()='外链']")
    notice = get_doc(client, path_of(external))
    assert "即将离开本站" in notice.text_content()
    assert notice.xpath(f"//a[@href='{external.external_url}']")


# --- 回收站 ------------------------------------------------------------------------------------------
def test_deleting_moves_to_the_bin_and_restore_puts_it_back(client):
    article = column("gzdt").articles().first()
    parent_id, url = article.get_parent().pk, path_of(article)
    client.force_login(user("platform-admin"))
    response = client.post(f"/admin/pages/{article.pk}/delete/")
    assert response.status_code == 302

    entry = RecycledPage.objects.get(page=article)
    assert entry.was_live and entry.user == user("platform-admin")
    assert ArticlePage.objects.filter(pk=article.pk, live=False).exists()  # kept, not destroyed
    client.logout()
    assert client.get(url, HTTP_HOST="kjt.localhost").status_code == 404
    assert article.title not in list_titles(get_doc(client, path_of(column("gzdt"))))

    client.force_login(user("kjt-editor"))
    explorer = client.get(f"/admin/pages/{parent_id}/").content.decode()
    assert article.title not in explorer
    assert article.title in client.get("/admin/content/recycle-bin/").content.decode()
    assert client.get(f"/admin/pages/{article.pk}/edit/").status_code == 302  # closed while binned
    response = client.post(f"/admin/content/recycle-bin/{entry.pk}/restore/")
    assert response.status_code == 302
    restored = ArticlePage.objects.get(pk=article.pk)
    assert restored.get_parent().pk == parent_id and not RecycledPage.objects.filter(pk=entry.pk).exists()
    assert not restored.live  # a draft: publishing again goes through review


def test_the_delete_confirmations_say_the_pages_go_to_the_bin(client):
    articles = list(column("gzdt").articles()[:2])
    client.force_login(user("platform-admin"))
    single = get_doc(client, f"/admin/pages/{articles[0].pk}/delete/", host="127.0.0.1")
    bulk = get_doc(
        client,
        f"/admin/bulk/wagtailcore/page/delete/?id={articles[0].pk}&id={articles[1].pk}",
        host="127.0.0.1",
    )
    for doc in (single, bulk):
        main = doc.xpath("//main")[0]
        text = " ".join(main.text_content().split())
        assert "移入回收站吗？（30 天内可恢复）" in text
        assert "删除" not in text.replace("彻底删除", "")
        button = main.xpath(".//form[@method='POST']//*[@type='submit' and not(@disabled)]")[0]
        assert "移入回收站（30 天内可恢复）" in (button.get("value") or button.text_content())


def test_another_departments_editor_cannot_see_restore_or_purge_by_id(client):
    draft = new_draft()
    entry = recycle.bin_page(draft, user("kjt-editor"))  # an editor deletes their own draft
    client.force_login(user("jyt-editor"))
    assert draft.title not in client.get("/admin/content/recycle-bin/").content.decode()
    for action in ("restore", "purge"):  # refused: Wagtail answers PermissionDenied with a redirect
        refused = client.post(f"/admin/content/recycle-bin/{entry.pk}/{action}/")
        assert refused.status_code in (302, 403) and refused.get("Location", "/admin/") == "/admin/"
    assert RecycledPage.objects.filter(pk=entry.pk).exists()
    client.force_login(user("kjt-editor"))  # an editor restores but does not purge
    refused = client.post(f"/admin/content/recycle-bin/{entry.pk}/purge/")
    assert refused.status_code in (302, 403) and refused.get("Location", "/admin/") == "/admin/"
    assert RecycledPage.objects.filter(pk=entry.pk).exists()
    client.force_login(user("platform-admin"))
    assert client.post(f"/admin/content/recycle-bin/{entry.pk}/purge/").status_code == 302
    assert not ArticlePage.objects.filter(pk=draft.pk).exists()


def test_the_bin_is_emptied_after_30_days():
    old, recent = new_draft(title="旧稿"), new_draft(title="新稿")
    editor = user("kjt-editor")
    recycle.bin_page(old, editor)
    recycle.bin_page(recent, editor)
    RecycledPage.objects.filter(page=old).update(deleted_at=timezone.now() - timedelta(days=31))
    RecycledPage.objects.filter(page=recent).update(deleted_at=timezone.now() - timedelta(days=29))
    assert recycle.purge_expired() == 1
    assert not ArticlePage.objects.filter(pk=old.pk).exists()
    assert RecycledPage.objects.filter(page=recent).exists()
    assert kjt().root_page.get_descendants().filter(pk=recent.pk).exists()
