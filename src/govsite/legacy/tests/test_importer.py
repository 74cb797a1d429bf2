"""The importer on a small mirror made in tmp_path (docs/import.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from govsite.checks.models import PageCheck
from govsite.checks.services import record_check, run_checks
from govsite.content.body import body_html
from govsite.content.models import ArticleAttachment, ArticlePage
from govsite.core.models import AuditRecord
from govsite.legacy import extract as extraction
from govsite.legacy.columns import read_mapping
from govsite.legacy.importer import Importer
from govsite.legacy.models import ImportedPage, ImportRun
from govsite.publishing.layout import site_dir
from govsite.publishing.redirects import MAP_FILE

from .helpers import OLD_HOST, OTHER_PATH, TRS_PATH, article_html, command, mirror, run, standard_corpus

pytestmark = pytest.mark.django_db
MAPPING = read_mapping("xwzx/gzdt/ = kjdt/mtjj/  # 1 篇\n")


def imported(path: str) -> ArticlePage:
    row = ImportedPage.objects.get(old_url=f"http://{OLD_HOST}/{path}")
    return ArticlePage.objects.get(pk=row.article_id)


def state() -> tuple[int, ...]:
    return (
        ArticlePage.objects.count(),
        Revision.objects.count(),
        Redirect.objects.count(),
        ImportedPage.objects.count(),
        get_image_model().objects.count(),
        get_document_model().objects.count(),
    )


def test_import_creates_draft_articles_with_fields_assets_and_addresses(tmp_path: Path) -> None:
    report = run(standard_corpus(tmp_path), MAPPING)
    assert (report.counts["imported"], report.counts["skipped"], report.counts["failed"]) == (2, 1, 0)
    article = imported(TRS_PATH)
    assert article.title == "科技厅召开2023年工作会议"
    assert article.source == "内蒙古自治区科学技术厅"
    assert article.pub_date is not None
    assert f"{article.pub_date.astimezone():%Y-%m-%d %H:%M}" == "2023-01-05 10:00"
    assert not article.live and article.get_parent().slug == "gzdt"
    # The TRS address is kept: same number, same folder, no redirect needed.
    assert article.legacy_number == 98765401
    assert article.file_path == "202301/t20230105_98765401.html"
    assert not Redirect.objects.filter(redirect_page=article).exists()
    html = body_html(article.body)
    image = get_image_model().objects.get(
        pk=next(b.value["image"].pk for b in article.body if b.block_type == "image")
    )
    assert image.file.read().startswith(b"\x89PNG")
    attachment = ArticleAttachment.objects.get(page=article)
    assert attachment.document.file.read().startswith(b"%PDF")
    assert f'<a linktype="document" id="{attachment.document.pk}">会议通知.pdf</a>' in html
    # A non-TRS address gets a permanent redirect, scoped to the site, to the mapped column's article.
    other = imported(OTHER_PATH)
    assert other.get_parent().slug == "mtjj"
    redirect = Redirect.objects.get(old_path=Redirect.normalise_path("/" + OTHER_PATH))
    assert redirect.redirect_page_id == other.pk and redirect.is_permanent
    assert redirect.site.hostname == "kjt.localhost"
    run_row = ImportRun.objects.get()
    assert (run_row.imported, run_row.skipped, run_row.finished_at is not None) == (2, 1, True)
    assert [url for url, _reason in run_row.report["skipped"]] == [f"http://{OLD_HOST}/kjdt/gzdt/index.html"]


def test_a_second_run_changes_nothing(tmp_path: Path) -> None:
    root = standard_corpus(tmp_path)
    run(root, MAPPING)
    before = state()
    report = run(root, MAPPING)
    assert state() == before
    assert (report.counts["imported"], report.counts["updated"], report.unchanged) == (0, 0, 3)


def test_a_changed_page_updates_its_article_as_a_new_revision(tmp_path: Path) -> None:
    root = standard_corpus(tmp_path)
    run(root, MAPPING)
    article = imported(OTHER_PATH)
    revisions = article.revisions.count()
    mirror(
        root,
        {
            OTHER_PATH: article_html(
                "旧栏目里的一篇稿件",
                "2019-05-06 09:30",
                body="<p>改过的正文：原网站更新了这篇稿件的内容。</p>",
            )
        },
    )
    report = run(root, MAPPING)
    assert (report.counts["updated"], report.counts["imported"]) == (1, 0)
    assert article.revisions.count() == revisions + 1
    latest = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert "改过的正文" in body_html(latest.body)
    assert ArticlePage.objects.filter(title="旧栏目里的一篇稿件").count() == 1


def test_a_dry_run_reports_and_writes_nothing(tmp_path: Path) -> None:
    before = (*state(), ImportRun.objects.count())
    report = run(standard_corpus(tmp_path), MAPPING, dry_run=True)
    assert report.counts["imported"] == 2 and report.dry_run
    assert (*state(), ImportRun.objects.count()) == before


def test_an_interrupted_run_resumes_where_it_stopped(tmp_path: Path) -> None:
    root = standard_corpus(tmp_path)
    first = run(root, MAPPING, limit=2)
    assert sum(first.counts.values()) == 2
    second = run(root, MAPPING)
    assert second.unchanged == 2
    assert (
        ArticlePage.objects.filter(title__in=["科技厅召开2023年工作会议", "旧栏目里的一篇稿件"]).count() == 2
    )


def test_unmapped_pages_are_reported_not_imported(tmp_path: Path) -> None:
    out = command(str(standard_corpus(tmp_path)), "--site", "kjt.localhost")
    assert "未映射栏目（请在映射文件中补充后重新运行）（1）" in out and "xwzx/gzdt/：1 页" in out
    assert not ArticlePage.objects.filter(title="旧栏目里的一篇稿件").exists()
    assert ImportedPage.objects.get(old_url__endswith=OTHER_PATH).status == "unmapped"


def test_the_same_page_at_two_addresses_is_one_article_and_a_redirect(tmp_path: Path) -> None:
    root = standard_corpus(tmp_path)
    mirror(root, {"kjdt/gzdt/202301/copy.html": (root / OLD_HOST / TRS_PATH).read_bytes()})
    report = run(root, MAPPING)
    assert ArticlePage.objects.filter(title="科技厅召开2023年工作会议").count() == 1
    assert [url for url, _ in report.duplicates] == [f"http://{OLD_HOST}/kjdt/gzdt/202301/copy.html"]
    redirect = Redirect.objects.get(old_path="/kjdt/gzdt/202301/copy.html")
    assert redirect.redirect_page_id == imported(TRS_PATH).pk


def test_a_page_that_raises_is_failed_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extract = extraction.extract_page

    def broken(raw: bytes, url: str) -> extraction.ExtractedPage | extraction.Rejected:
        if url.endswith(OTHER_PATH):
            raise ValueError("坏页面")
        return extract(raw, url)

    monkeypatch.setattr(extraction, "extract_page", broken)
    report = run(standard_corpus(tmp_path), MAPPING)
    assert report.counts["imported"] == 1
    assert report.failed == [(f"http://{OLD_HOST}/{OTHER_PATH}", "导入出错：ValueError: 坏页面")]
    assert ImportedPage.objects.get(old_url__endswith=OTHER_PATH).status == "failed"


def test_imported_drafts_are_checked_once_as_a_normal_save_checks_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checks are deferred to the end of each chunk of pages; a failed page leaves no check behind."""
    checked: list[int] = []  # the pages record_check stored findings for

    def counting(page: Page, revision: Revision | None = None, findings: Any = None) -> Any:
        checked.append(page.pk)
        return record_check(page, revision, findings)

    monkeypatch.setattr("govsite.checks.signal_handlers.record_check", counting)
    address = Importer.address

    def broken(importer: Importer, url: str, article: ArticlePage) -> None:
        if url.endswith(OTHER_PATH):  # fails once its article and revision are saved
            raise ValueError("坏页面")
        address(importer, url, article)

    monkeypatch.setattr(Importer, "address", broken)
    run(standard_corpus(tmp_path), MAPPING)
    article = imported(TRS_PATH)
    assert ImportedPage.objects.get(old_url__endswith=OTHER_PATH).status == "failed"
    assert checked == [article.pk]
    stored = PageCheck.objects.get(page_id=article.pk)
    revision = article.get_latest_revision()
    assert stored.revision_id == revision.pk
    assert stored.findings == [f.as_dict() for f in run_checks(revision.as_object())]


def test_missing_images_and_attachments_are_reported(tmp_path: Path) -> None:
    root = standard_corpus(tmp_path)
    (root / OLD_HOST / "kjdt/gzdt/202301/P0.pdf").unlink()
    report = run(root, MAPPING)
    assert report.missing_assets == [
        (f"http://{OLD_HOST}/{TRS_PATH}", f"http://{OLD_HOST}/kjdt/gzdt/202301/P0.pdf")
    ]
    assert report.counts["imported"] == 2


def test_published_import_keeps_the_trs_address_redirects_the_other_and_is_audited(
    tmp_path: Path, client
) -> None:
    report = run(standard_corpus(tmp_path), MAPPING, publish=True)
    assert report.counts["imported"] == 2 and not report.blocked
    article = imported(TRS_PATH)
    assert article.live
    response = client.get("/" + TRS_PATH, HTTP_HOST="kjt.localhost")
    assert response.status_code == 200 and "科技厅召开2023年工作会议" in response.content.decode()
    moved = client.get("/" + OTHER_PATH, HTTP_HOST="kjt.localhost")
    assert moved.status_code == 301 and moved["Location"].endswith(imported(OTHER_PATH).url)
    events = AuditRecord.objects.filter(event="content.import")
    assert {int(e.object_id) for e in events} == {article.pk, imported(OTHER_PATH).pk}


def test_an_imported_and_published_site_keeps_the_trs_file_and_redirects_the_other(
    tmp_path: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """`govsite import … --publish` ends in the published tree: the article's static file at its kept
    TRS address, and the redirect map (what the embedded server and nginx answer) for the other."""
    settings.GOVSITE_PUBLIC_DIR = tmp_path / "public"
    mapping = tmp_path / "mapping.txt"
    mapping.write_text("xwzx/gzdt/ = kjdt/mtjj/\n", encoding="utf-8")
    corpus = standard_corpus(tmp_path / "mirror")
    with django_capture_on_commit_callbacks(execute=True):
        command(str(corpus), "--site", "kjt.localhost", "--mapping", str(mapping), "--publish")
    site = site_dir("kjt.localhost")
    kept = site / TRS_PATH  # /<column>/YYYYMM/tYYYYMMDD_<old number>.html
    assert kept.is_file() and "科技厅召开2023年工作会议" in kept.read_text(encoding="utf-8")
    moved = imported(OTHER_PATH)
    redirects = json.loads((site / MAP_FILE).read_text(encoding="utf-8"))["redirects"]
    assert redirects["/" + OTHER_PATH] == [301, moved.relative_url(moved.get_site())]
    assert (site / moved.relative_url(moved.get_site()).lstrip("/")).is_file()
