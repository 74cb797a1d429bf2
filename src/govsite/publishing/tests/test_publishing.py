"""Publishing writes the public pages as files and keeps them in step with the page tree."""

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Site

from govsite.content.models import ArticlePage, ColumnPage
from govsite.content.tests.helpers import path_of, seed_article
from govsite.publishing.jobs import rebuild_site
from govsite.publishing.layout import REDIRECT_SUFFIX, public_root, relative_file, site_dir, status_file
from govsite.publishing.targets import expand, site_addresses
from govsite.sites.models import SiteProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def kjt() -> Site:
    return Site.objects.get(hostname="kjt.localhost")


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@dataclass
class PublishedTemplate:
    public: Path  # a copy of the whole public root, as the rebuild left it
    renditions: list[dict[str, Any]]  # the image renditions the rebuild made (rows, without their ids)


@pytest.fixture(scope="module")
def published_template(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: None, django_db_blocker
) -> Iterator[PublishedTemplate]:
    """The S&T site published once per module from scratch, kept aside as a template (a copy of the
    whole public root). A full rebuild takes 20–70 s; each test gets its own copy instead (`published`).

    It reads the session's demo database as each test starts with it, in a transaction rolled back
    afterwards. The one thing a rebuild stores in the database is the image renditions it renders
    (files under MEDIA_ROOT named in Wagtail's rendition rows): they are kept here and given back to
    each test with its copy, so its tree and its database agree; any other row would fail here.
    """
    template = tmp_path_factory.mktemp("published-template") / "public"
    Rendition = get_image_model().get_rendition_model()
    with django_db_blocker.unblock(), transaction.atomic():
        before = row_counts()
        known = set(Rendition.objects.values_list("pk", flat=True))
        shutil.rmtree(public_root(), ignore_errors=True)
        report = rebuild_site(Site.objects.get(hostname="kjt.localhost"))
        assert not report.failed, report.failed
        shutil.copytree(public_root(), template, symlinks=True)
        new_rows = Rendition.objects.exclude(pk__in=known).values()
        renditions = [{name: value for name, value in row.items() if name != "id"} for row in new_rows]
        changed = {label for label, count in row_counts().items() if count != before[label]}
        # and the rebuild's changeset (govsite.delivery records every publish): rolled back with the rest
        delivery = {"govsite_delivery.Changeset", "govsite_sites.SiteSequence"}
        assert changed <= {Rendition._meta.label, *delivery}, changed
        transaction.set_rollback(True)
    yield PublishedTemplate(template, renditions)
    shutil.rmtree(template, ignore_errors=True)


@pytest.fixture
def published(published_template: PublishedTemplate, kjt: Site) -> Path:
    """A freshly published S&T site: the test's own copy of the module's template (copy2 keeps bytes
    and mtimes) and, in the test's transaction, the renditions its files show. What one test writes,
    removes or rewrites cannot reach another."""
    shutil.rmtree(public_root(), ignore_errors=True)
    shutil.copytree(published_template.public, public_root(), symlinks=True)
    Rendition = get_image_model().get_rendition_model()
    Rendition.objects.bulk_create([Rendition(**row) for row in published_template.renditions])
    return site_dir(kjt.hostname)


def files_of(root: Path) -> dict[str, bytes]:
    """Every file under root (status files, .gz twins and markers included) with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def file_of(root: Path, path: str) -> Path:
    relative = relative_file(path)
    assert relative is not None, path
    return root / relative


def kjt_column(kjt: Site, slug: str) -> ColumnPage:
    return ColumnPage.objects.descendant_of(kjt.root_page).get(slug=slug)


def test_full_rebuild_writes_every_address_in_every_version(published: Path, client):
    article = path_of(seed_article())
    for path in ["/", "/kjdt/mtjj/", "/kjdt/gzdt/index_1.html", article, "/wzsm/", "/sitemap/", "/404.html"]:
        assert file_of(published, path).is_file(), path
        assert file_of(published, "/elder" + path).is_file(), path
    for path in ["/kjdt/mtjj/rss.xml", "/sitemap.xml", "/sitemaps/202103.xml", "/robots.txt"]:
        assert file_of(published, path).is_file(), path
    # a published file is exactly what the application answers
    response = client.get(article, HTTP_HOST="kjt.localhost")
    assert file_of(published, article).read_bytes() == response.content
    assert (public_root() / ".default-site").read_text() == "kjt.localhost"
    assert file_of(published, "/404.html").read_text().count("页面不存在") >= 1


def test_every_published_file_is_what_the_application_answers(published: Path, kjt: Site, client):
    """A publishing run shares lookups, chrome and lists between files and versions: none of that
    may change a byte compared with rendering each address on its own."""
    paths = expand(set(site_addresses(kjt)))
    assert len(paths) > 150 and any(p.startswith("/elder/") for p in paths)
    for path in paths:
        response = client.get(path, HTTP_HOST="kjt.localhost")
        if response.status_code == 200:
            assert file_of(published, path).read_bytes() == response.content, path


def test_text_files_have_precompressed_twins(published: Path):
    import gzip

    page = file_of(published, "/")
    assert gzip.decompress(page.with_name("index.html.gz").read_bytes()) == page.read_bytes()


def test_second_rebuild_rewrites_nothing_and_leaves_no_temporary_files(published: Path, kjt: Site):
    report = rebuild_site(kjt)
    assert report.written == 0 and report.unchanged > 100
    assert not list(published.rglob("*.tmp"))


def test_a_failed_render_keeps_the_old_file_and_is_reported(published: Path, kjt: Site, monkeypatch):
    article = seed_article()
    target = file_of(published, path_of(article))
    before = target.read_bytes()

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(ArticlePage, "serve", broken)
    report = rebuild_site(kjt)
    failed_paths = {path for _, path, _ in report.failed}
    assert path_of(article) in failed_paths
    assert any("template exploded" in error for *_, error in report.failed)
    assert target.read_bytes() == before


def test_resume_continues_where_an_interrupted_rebuild_stopped(
    kjt: Site, published: Path, published_template: PublishedTemplate
):
    shutil.rmtree(public_root(), ignore_errors=True)  # from scratch, with the template's renditions

    class Interrupted(Exception):
        pass

    def stop_early(done: int, total: int) -> None:
        if done >= 64:
            raise Interrupted

    with pytest.raises(Interrupted):
        rebuild_site(kjt, progress=stop_early)
    seen: list[int] = []
    report = rebuild_site(kjt, resume=True, progress=lambda done, total: seen.append(total))
    assert not report.failed
    all_paths = expand(set(site_addresses(kjt)))
    assert seen[-1] <= len(all_paths) - 64  # the resumed run skipped what was done
    # and together they produced the complete site: exactly the files (bytes, .gz twins, status files)
    # of an uninterrupted full rebuild from scratch, so a full rebuild now would write nothing
    assert files_of(public_root()) == files_of(published_template.public)


def test_publishing_an_article_updates_exactly_what_shows_it(
    published: Path, kjt: Site, django_capture_on_commit_callbacks
):
    column = kjt_column(kjt, "gzdt")
    newest_before = column.articles().first()
    oldest_archive = file_of(published, "/kjdt/gzdt/index_1.html")
    archive_bytes = oldest_archive.read_bytes()
    archive_mtime = oldest_archive.stat().st_mtime_ns

    with django_capture_on_commit_callbacks(execute=True):
        article = ArticlePage(title="自治区科技厅召开新闻发布会", source="科学技术厅", body="<p>示例内容</p>")
        column.add_child(instance=article)
        article.save_revision().publish()

    article.refresh_from_db()
    own = file_of(published, path_of(article))
    assert own.is_file() and file_of(published, "/elder" + path_of(article)).is_file()
    assert "自治区科技厅召开新闻发布会" in file_of(published, "/kjdt/gzdt/").read_text()
    assert "自治区科技厅召开新闻发布会" in file_of(published, "/kjdt/").read_text()  # parent column
    assert "自治区科技厅召开新闻发布会" in file_of(published, "/").read_text()  # home page
    assert "自治区科技厅召开新闻发布会" in file_of(published, "/kjdt/gzdt/rss.xml").read_text()
    neighbour = file_of(published, path_of(newest_before)).read_text()
    assert path_of(article) in neighbour  # its 上一篇 now points to the new article
    assert article.pub_date is not None
    month = f"/sitemaps/{article.pub_date.astimezone():%Y%m}.xml"
    assert path_of(article) in file_of(published, month).read_text()
    # the oldest archive page is not touched at all
    assert oldest_archive.read_bytes() == archive_bytes
    assert oldest_archive.stat().st_mtime_ns == archive_mtime


def test_unpublishing_removes_the_file_and_every_link_to_it(
    published: Path, kjt: Site, django_capture_on_commit_callbacks
):
    article = seed_article()
    path = path_of(article)
    neighbour = article.previous_article
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert not file_of(published, path).exists()
    assert not file_of(published, "/elder" + path).exists()
    assert not file_of(published, path).with_name(file_of(published, path).name + ".gz").exists()
    assert path not in file_of(published, "/kjdt/mtjj/").read_text()
    assert path not in file_of(published, path_of(neighbour)).read_text()


def test_moving_an_article_leaves_a_redirect_at_its_old_address(
    published: Path, kjt: Site, django_capture_on_commit_callbacks
):
    article = seed_article()
    old = path_of(article)
    with django_capture_on_commit_callbacks(execute=True):
        article.move(kjt_column(kjt, "gzdt"), pos="last-child")
    new = path_of(ArticlePage.objects.get(pk=article.pk))
    assert new.startswith("/kjdt/gzdt/")
    assert file_of(published, new).is_file()
    # the old address has no file of its own, only a redirect file beside it (layout.status_file)
    assert not file_of(published, old).exists()
    old_file = relative_file(old)
    assert old_file is not None
    stub = (published / status_file(old_file, REDIRECT_SUFFIX)).read_text()
    assert 'http-equiv="refresh"' in stub and new in stub
    new_lists = "".join(p.read_text() for p in (published / "kjdt" / "gzdt").glob("index*.html"))
    assert new in new_lists
    assert old not in file_of(published, "/kjdt/mtjj/").read_text()


def test_site_settings_change_rebuilds_the_site(
    published: Path, kjt: Site, django_capture_on_commit_callbacks
):
    profile = SiteProfile.for_site(kjt)
    profile.phone = "0471-1234567"
    with django_capture_on_commit_callbacks(execute=True):
        profile.save()
    assert "0471-1234567" in file_of(published, path_of(seed_article())).read_text()


def test_publishing_can_be_switched_off(published: Path, kjt: Site, django_capture_on_commit_callbacks):
    settings.GOVSITE_STATIC_PUBLISHING = False
    try:
        article = seed_article()
        path = file_of(published, path_of(article))
        with django_capture_on_commit_callbacks(execute=True):
            article.unpublish()
        assert path.exists()
    finally:
        settings.GOVSITE_STATIC_PUBLISHING = True


def test_a_rebuild_chunk_reads_its_articles_in_bulk(
    kjt: Site, settings, tmp_path, django_assert_max_num_queries
):
    """Rendering a chunk of a rebuild costs a few queries per chunk, not ~19 per article page (route,
    neighbours, column, breadcrumbs, 撤稿/文件效力 records, catalogue records, attachments…)."""
    from govsite.core.fragments import fragment_cache
    from govsite.publishing.publisher import Publisher

    settings.GOVSITE_PUBLIC_DIR = tmp_path
    column = ColumnPage.objects.descendant_of(kjt.root_page).order_by("-numchild").first()
    articles = ArticlePage.objects.live().child_of(column).order_by("path")[:12]
    paths = sorted(path for article in articles for path in (path_of(article), "/elder" + path_of(article)))
    assert len(paths) == 24
    with fragment_cache(bulk=True):
        Publisher(kjt).publish(paths[:2])  # the chrome, the column and its lists: once per chunk
        with django_assert_max_num_queries(len(paths) // 2):
            report = Publisher(kjt).publish(paths[2:])
    assert report.written == len(paths) - 2 and not report.failed
