"""迁移: pages of an old site into a govsite site as articles, safe to rerun (docs/import.md).

For each old page (`sources`): skip it when its bytes are those already imported; extract it
(`extract.extract_page`); find its column (`columns`); then create its article, or update the
article as a new revision when the old page changed, download its images and attachments into the
site's collection and rewrite the body's links to them (`bodies`), keep its old address (a TRS
`YYYYMM/tYYYYMMDD_<n>.html` keeps its number, `ArticlePage.legacy_number`) or redirect it (a
site-scoped permanent Wagtail redirect). Each page is one transaction: a page that raises is
recorded as failed with its error and the run goes on.

Articles are drafts (for 三审) unless the operator asks to publish. Publishing goes through the
publication gate like any go-live (checks/gate.py): an imported page with blocking findings stays a
draft, reported with the findings, and the rest of the run is published; nothing waits on it. Each
published import is recorded in the audit trail as `content.import`.

A dry run does all of it in a transaction rolled back after each page, without downloading files or
publishing: its report is what the import would do, and nothing is written.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import mimetypes
from collections import Counter
from collections.abc import Callable
from copy import deepcopy
from dataclasses import asdict, dataclass, field
from io import BytesIO
from itertools import islice
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from govsite.checks.gate import PublicationBlocked, log_blocked
from govsite.content.extract import archive_problem
from govsite.content.models import ARTICLE_FILE_RE, MONTH_DIR_RE, ArticleAttachment, ArticlePage, ColumnPage
from govsite.core.audit import record
from govsite.core.bulk import bulk_build
from govsite.opengov.catalogue import open_gov_column
from govsite.opengov.models import CatalogueEntry, IndexNumber, normalise_document_number
from govsite.sites.models import SiteProfile
from govsite.sites.provisioning import department_of

from . import extract
from .bodies import Linked, body_blocks
from .columns import ColumnMapping, SiteColumns
from .extract import ExtractedPage, Rejected
from .models import ImportedAsset, ImportedPage, ImportRun
from .sources import Source, SourcePage, max_asset_bytes
from .tree import ChunkTree

logger = logging.getLogger(__name__)
Status = ImportedPage.Status
AUDIT_EVENT = "content.import"
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
OFFICE_EXTENSIONS = {"docx", "xlsx", "pptx"}
CHUNK_PAGES = 50  # pages per transaction: per-save work is done once per chunk


class DryRunRollback(Exception):
    """Raised at the end of a dry-run page to roll its transaction back."""


@dataclass
class Outcome:
    status: str
    reason: str = ""
    article_id: int | None = None
    raw_hash: str = ""
    content_hash: str = ""
    unchanged: bool = False  # nothing to write: the row stays as it is


@dataclass
class Report:
    """What a run did, page by page where it matters (stored on the run as JSON)."""

    counts: Counter[str] = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)  # old prefix → pages
    missing_assets: list[tuple[str, str]] = field(default_factory=list)  # (page, file)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (page, the page it repeats)
    blocked: list[tuple[str, str]] = field(default_factory=list)  # published: refused by the gate
    redirects: int = 0
    kept_addresses: int = 0
    unchanged: int = 0
    dry_run: bool = False
    interrupted: bool = False

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["counts"] = dict(self.counts)
        data["unmapped"] = dict(self.unmapped)
        return data

    def as_text(self) -> str:
        c = self.counts
        head = "试运行（未写入任何内容）" if self.dry_run else "导入完成"
        if self.interrupted:
            head = "导入被中断（已完成的页面已保存，重新运行即从中断处继续）"
        lines = [
            head,
            f"新导入 {c[Status.IMPORTED]} 篇，已更新 {c[Status.UPDATED]} 篇，跳过 {c[Status.SKIPPED]} 页"
            f"（其中未变化 {self.unchanged} 页），失败 {c[Status.FAILED]} 页，"
            f"未映射栏目 {c[Status.UNMAPPED]} 页，缺失附件/图片 {len(self.missing_assets)} 个。",
            f"保留原地址 {self.kept_addresses} 篇，新建跳转 {self.redirects} 条。",
        ]
        sections: list[tuple[str, list[str]]] = [
            (
                "未映射栏目（请在映射文件中补充后重新运行）",
                [f"{p}：{n} 页" for p, n in self.unmapped.items()],
            ),
            ("失败", [f"{url}：{why}" for url, why in self.failed]),
            ("跳过（未变化的页面未列出）", [f"{url}：{why}" for url, why in self.skipped]),
            ("重复页面（已设置跳转）", [f"{url} 与 {other} 相同" for url, other in self.duplicates]),
            ("缺失的附件/图片", [f"{page}：{url}" for page, url in self.missing_assets]),
            ("未能发布（检查未通过，已保存为草稿）", [f"{url}：{why}" for url, why in self.blocked]),
        ]
        for title, items in sections:
            if items:
                lines.append(f"\n{title}（{len(items)}）：")
                lines.extend(f"  {item}" for item in items[:200])
                if len(items) > 200:
                    lines.append(f"  …另有 {len(items) - 200} 条，见导入记录")
        return "\n".join(lines)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_hash(page: ExtractedPage) -> str:
    """Of the fields an article is made of: two addresses of one article share it."""
    fields = [
        page.title,
        page.pub_date.isoformat() if page.pub_date else "",
        page.source,
        page.author,
        page.body_html,
        page.index_number,
        page.document_number,
        page.issuing_body,
        page.written_date.isoformat() if page.written_date else "",
        page.keywords,
        [(a.url, a.title, a.is_image) for a in page.assets],
    ]
    return sha256(json.dumps(fields, ensure_ascii=False).encode())


def aware(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value)


def legacy_number(url: str) -> int | None:
    """The number of a TRS-style address (…/YYYYMM/tYYYYMMDD_<n>.html), which govsite can keep."""
    path = PurePosixPath(unquote(urlsplit(url).path))
    match = ARTICLE_FILE_RE.match(path.name)
    if match and MONTH_DIR_RE.match(path.parent.name):
        return int(match["id"])
    return None


def site_collection(site: Site) -> Collection:
    """The department's collection (`sites.provisioning`), else the root collection."""
    root = Collection.get_first_root_node()
    name = department_of(site)
    found = root.get_children().filter(name=name).first() if name else None
    return found or root


class Importer:
    def __init__(
        self,
        site: Site,
        source: Source,
        mapping: ColumnMapping,
        *,
        dry_run: bool = False,
        publish: bool = False,
        limit: int | None = None,
        user: Any = None,
        progress: Callable[[SourcePage], None] | None = None,
    ) -> None:
        self.site = site
        self.source = source
        self.mapping = mapping
        self.dry_run = dry_run
        self.publish = publish and not dry_run
        self.limit = limit
        self.user = user
        self.progress = progress
        self.columns = SiteColumns(site)
        self.collection = site_collection(site)
        self.default_source = SiteProfile.for_site(site).organiser or site.site_name or site.hostname
        self.report = Report(dry_run=dry_run)
        self.run: ImportRun | None = None
        self.seen: dict[str, str] = {}  # content hash → first old address, in this run
        self.assets: dict[str, Linked | None] = {}
        self.open_gov_columns: dict[int, bool] = {}
        self.rows: dict[str, ImportedPage | None] = {}  # the page's row as `handle` read it (None: none)
        self.tree = ChunkTree()  # where the chunk's new articles go (`tree.py`), fresh for each chunk
        self.known: dict[str, ImportedPage | None] = {}  # the chunk's rows, read in one query

    # --- the run ---------------------------------------------------------------------------------
    def execute(self) -> Report:
        if not self.dry_run:
            self.run = ImportRun.objects.create(
                site=self.site, source=self.source.description, published=self.publish
            )
        pages = iter(self.source.pages())
        if self.limit is not None:
            pages = islice(pages, self.limit)
        try:
            while chunk := list(islice(pages, CHUNK_PAGES)):
                self.chunk(chunk)
        except KeyboardInterrupt:
            self.report.interrupted = True
            raise
        finally:
            self.finish()
        return self.report

    def chunk(self, pages: list[SourcePage]) -> None:
        """Pages in one transaction whose per-save work (checks, reference index, text extraction
        queue) is done once per object at its end (core.bulk); each page is a savepoint of it.

        Its pages' `ImportedPage` rows are read in one query; its new articles are placed in the
        tree by `tree.ChunkTree` (one read of each column per chunk, not one `add_child` per page).
        Interrupted, the chunk is rolled back and left out of the report: a rerun resumes there.
        If the chunk's deferred work fails, its pages are imported again one at a time, so that
        the failure is the one page's."""
        saved = deepcopy((self.report, self.seen, self.assets))
        self.tree = ChunkTree()
        try:
            with bulk_build():
                self.known = dict.fromkeys(page.url for page in pages)
                rows = ImportedPage.objects.filter(site=self.site, old_url__in=list(self.known))
                self.known.update((row.old_url, row) for row in rows)
                for page in pages:
                    self.one(page)
                    if self.progress:
                        self.progress(page)
        except Exception:
            if len(pages) == 1:
                self.report, self.seen, self.assets = saved
                self.failed_alone(pages[0])
                return
            logger.exception("import chunk failed, retrying its pages one by one")
            self.report, self.seen, self.assets = saved
            for page in pages:
                self.chunk([page])
        except BaseException:
            self.report, self.seen, self.assets = saved
            raise

    def failed_alone(self, page: SourcePage) -> None:
        logger.exception("import of %s failed", page.url)
        outcome = Outcome(Status.FAILED, "导入出错：页面保存后的检查或索引失败")
        if not self.dry_run:
            self.store(page.url, outcome)
        self.note(page.url, outcome)

    def finish(self) -> None:
        if self.run is None:
            return
        counts = self.report.counts
        self.run.imported = counts[Status.IMPORTED]
        self.run.updated = counts[Status.UPDATED]
        self.run.skipped = counts[Status.SKIPPED]
        self.run.failed = counts[Status.FAILED]
        self.run.unmapped = counts[Status.UNMAPPED]
        self.run.report = self.report.as_dict()
        self.run.finished_at = None if self.report.interrupted else timezone.now()
        self.run.save()

    def one(self, page: SourcePage) -> None:
        """One old page in its own savepoint; whatever it raises is its failure, not the run's."""
        assets = set(self.assets)
        try:
            with bulk_build():  # a savepoint: its deferred work goes with it if it fails
                outcome = self.handle(page)
                if not outcome.unchanged:
                    self.store(page.url, outcome)
                if self.dry_run:
                    raise DryRunRollback
        except DryRunRollback:
            pass
        except Exception as exc:
            logger.exception("import of %s failed", page.url)
            for url in set(self.assets) - assets:  # files saved by the rolled-back page are gone
                del self.assets[url]
            outcome = Outcome(Status.FAILED, f"导入出错：{type(exc).__name__}: {exc}"[:500])
            if not self.dry_run:
                self.store(page.url, outcome)
        self.rows.pop(page.url, None)
        self.note(page.url, outcome)

    def note(self, url: str, outcome: Outcome) -> None:
        if outcome.unchanged:  # done by an earlier run: skipped now
            self.report.counts[Status.SKIPPED] += 1
            self.report.unchanged += 1
            return
        self.report.counts[outcome.status] += 1
        if outcome.status == Status.SKIPPED:
            self.report.skipped.append((url, outcome.reason))
        elif outcome.status == Status.FAILED:
            self.report.failed.append((url, outcome.reason))

    def store(self, url: str, outcome: Outcome) -> None:
        defaults: dict[str, Any] = {"status": outcome.status, "reason": outcome.reason[:500], "run": self.run}
        if outcome.raw_hash:
            defaults["raw_hash"] = outcome.raw_hash
        if outcome.content_hash:
            defaults["content_hash"] = outcome.content_hash
        if outcome.article_id is not None:
            defaults["article_id"] = outcome.article_id
        if url not in self.rows:  # not read by `handle` (it failed before): look it up
            ImportedPage.objects.update_or_create(site=self.site, old_url=url, defaults=defaults)
        elif (row := self.rows.pop(url)) is None:
            ImportedPage.objects.create(site=self.site, old_url=url, **defaults)
        else:
            for name, value in defaults.items():
                setattr(row, name, value)
            row.save(update_fields=[*defaults, "updated_at"])

    # --- one page --------------------------------------------------------------------------------
    def handle(self, page: SourcePage) -> Outcome:
        if page.raw is None:
            return Outcome(Status.FAILED if page.failed else Status.SKIPPED, page.error)
        raw_hash = sha256(page.raw)
        if page.url in self.known:  # read with the chunk's (a second time: read again)
            row = self.known.pop(page.url)
        else:
            row = ImportedPage.objects.filter(site=self.site, old_url=page.url).first()
        self.rows[page.url] = row  # for `store`, in this page's savepoint
        done = (Status.IMPORTED, Status.UPDATED, Status.SKIPPED)
        if row is not None and row.raw_hash == raw_hash and row.status in done:
            return Outcome(row.status, row.reason, unchanged=True)
        extracted = extract.extract_page(page.raw, page.url)
        if isinstance(extracted, Rejected):
            return Outcome(Status.SKIPPED, extracted.reason, raw_hash=raw_hash)
        digest = content_hash(extracted)
        article = row.article if row is not None and row.article_id else None
        if row is not None and article is not None and row.content_hash == digest:
            row.raw_hash = raw_hash  # only the page's markup changed, not the article
            row.save(update_fields=["raw_hash"])
            return Outcome(row.status, row.reason, unchanged=True)
        outcome = self.place(page.url, extracted, article)
        outcome.raw_hash, outcome.content_hash = raw_hash, digest
        if outcome.status in (Status.IMPORTED, Status.UPDATED, Status.SKIPPED):
            self.seen.setdefault(digest, page.url)
        return outcome

    def place(self, url: str, page: ExtractedPage, article: Page | None) -> Outcome:
        if article is not None:
            return self.update(url, page, article.specific)
        duplicate = self.duplicate_of(url, content_hash(page))
        if duplicate is not None:
            return duplicate
        prefix, target = self.mapping.target(url)
        column = self.columns.get(target)
        if column is None:
            self.report.unmapped[prefix] += 1
            if target is None:
                return Outcome(Status.UNMAPPED, f"栏目映射中“{prefix}”未指定本站栏目")
            return Outcome(Status.UNMAPPED, f"未映射栏目：{prefix}（本站没有栏目 {target}）")
        return self.create(url, page, column)

    def duplicate_of(self, url: str, digest: str) -> Outcome | None:
        """The same article under a second address: one article, and a redirect from this address."""
        first = ImportedPage.objects.filter(site=self.site, content_hash=digest, article__isnull=False)
        original = first.exclude(old_url=url).select_related("article").first()
        if original is None or original.article is None:
            if digest in self.seen and self.dry_run:
                self.report.duplicates.append((url, self.seen[digest]))
                return Outcome(Status.SKIPPED, f"与 {self.seen[digest]} 内容相同，将设置跳转")
            return None
        self.redirect(url, original.article)
        self.report.duplicates.append((url, original.old_url))
        return Outcome(
            Status.SKIPPED,
            f"与 {original.old_url} 内容相同，已设置跳转",
            article_id=None,
        )

    def fields(self, url: str, page: ExtractedPage) -> dict[str, Any]:
        # A dry run downloads nothing: its files have no id (0) and are linked nowhere.
        linked = {key: value for key, value in self.download(url, page).items() if value and value.object_id}
        documents: dict[str, tuple[int, str]] = {}  # old address → (document id, link text), once each
        for asset in page.assets:
            target = linked.get(asset.url)
            if target is not None and not target.is_image:
                documents.setdefault(asset.url, (target.object_id, asset.title))
        return {
            "title": page.title.strip()[:255],
            "source": (page.source.strip() or self.default_source)[:100],
            "author": page.author.strip()[:100],
            "keywords": page.keywords.strip()[:200],
            "body": body_blocks(page.body_html, linked),
            "attachments": [
                ArticleAttachment(document_id=document_id, title=title[:200])
                for document_id, title in documents.values()
            ],
        }

    def open_gov(self, column: ColumnPage) -> bool:
        """Whether the column is in the 政务公开 tree, looked up once per column in a run."""
        if column.pk not in self.open_gov_columns:
            self.open_gov_columns[column.pk] = open_gov_column(column, inclusive=True) is not None
        return self.open_gov_columns[column.pk]

    def catalogue(self, article: ArticlePage, column: ColumnPage, page: ExtractedPage) -> None:
        """文号, 发文机关 and 成文日期 into the 公开目录 metadata of an article of a 政务公开 column."""
        if not self.open_gov(column):
            return
        if page.document_number or page.issuing_body or page.written_date:
            article.catalogue_entries = [
                CatalogueEntry(
                    document_number=normalise_document_number(page.document_number)[:60],
                    issuing_organ=page.issuing_body[:100],
                    written_date=page.written_date,
                )
            ]

    def keep_index_number(self, article: ArticlePage, column: ColumnPage, page: ExtractedPage) -> None:
        """The old 索引号 stays the article's (allocation at publication then keeps it)."""
        value = page.index_number.strip()[:100]
        if not value or not self.open_gov(column):
            return
        if IndexNumber.objects.filter(Q(value=value) | Q(page_id=article.pk)).exists():
            return
        when = timezone.localtime(article.pub_date) if article.pub_date else timezone.localtime()
        IndexNumber.objects.create(page=article, site=self.site, year=when.year, seq=0, value=value)

    def create(self, url: str, page: ExtractedPage, column: ColumnPage) -> Outcome:
        if not page.title.strip():
            return Outcome(Status.FAILED, "页面没有标题")
        values = self.fields(url, page)
        article = ArticlePage(pub_date=aware(page.pub_date), live=False, owner=self.user, **values)
        number = legacy_number(url)
        if (
            number is not None
            and not ArticlePage.objects.child_of(column)
            .filter(Q(pk=number) | Q(legacy_number=number))
            .exists()
        ):
            article.legacy_number = number
        self.catalogue(article, column, page)
        self.tree.add(column, article)  # `column.add_child(instance=article)`, once-per-chunk queries
        self.keep_index_number(article, column, page)
        # validated by `tree.add` as `save_revision` would (`tree.validate_new`)
        revision = article.save_revision(user=self.user, log_action=False, clean=False)
        reason = self.go_live(url, article, revision, "imported")
        self.address(url, article)
        return Outcome(Status.IMPORTED, reason, article_id=article.pk)

    def update(self, url: str, page: ExtractedPage, article: ArticlePage) -> Outcome:
        draft = article.get_latest_revision_as_object()
        for name, value in self.fields(url, page).items():
            setattr(draft, name, value)
        if not draft.first_published_at:
            draft.pub_date = aware(page.pub_date)  # a published article's date is fixed (V1)
        column = article.get_parent().specific
        if isinstance(column, ColumnPage):
            self.catalogue(draft, column, page)
        revision = draft.save_revision(user=self.user, log_action=False)
        reason = self.go_live(url, draft, revision, "updated")
        return Outcome(Status.UPDATED, reason, article_id=article.pk)

    def go_live(self, url: str, article: ArticlePage, revision: Any, action: str) -> str:
        """Publish through the gate when asked; a refusal leaves the draft and says why."""
        if not self.publish:
            return ""
        try:
            with transaction.atomic():
                revision.publish(user=self.user, log_action=True)
        except PublicationBlocked as blocked:
            log_blocked(blocked, self.user, "import")
            reason = "检查未通过，已保存为草稿：" + "；".join(blocked.messages)[:300]
            self.report.blocked.append((url, reason))
            return reason
        record(
            AUDIT_EVENT,
            user=self.user,
            obj=article,
            detail={"old_url": url, "action": action, "run": self.run.pk if self.run else None},
        )
        return ""

    def address(self, url: str, article: ArticlePage) -> None:
        """Keep the old address when the article answers there, else redirect it permanently."""
        old_path = unquote(urlsplit(url).path)
        column = article.get_parent()
        root_path = self.site.root_page.url_path
        new_path = "/" + column.url_path.removeprefix(root_path) + article.file_path
        if new_path == old_path:
            self.report.kept_addresses += 1
            return
        self.redirect(url, article)

    def redirect(self, url: str, article: Page) -> None:
        parts = urlsplit(url)
        old = unquote(parts.path) + (f"?{parts.query}" if parts.query else "")
        Redirect.objects.update_or_create(
            old_path=Redirect.normalise_path(old),
            site=self.site,
            defaults={"redirect_page": article, "is_permanent": True, "redirect_link": ""},
        )
        self.report.redirects += 1

    # --- images and attachments ------------------------------------------------------------------
    def download(self, url: str, page: ExtractedPage) -> dict[str, Linked | None]:
        linked: dict[str, Linked | None] = {}
        new = {asset.url for asset in page.assets} - set(self.assets)
        known = ImportedAsset.objects.filter(site=self.site, old_url__in=new) if new else []
        self.assets.update({row.old_url: Linked(row.is_image, row.object_id) for row in known})  # one query
        for asset in page.assets:
            if asset.url not in self.assets:
                self.assets[asset.url] = self.asset(asset.url, asset.title, asset.is_image)
            linked[asset.url] = self.assets[asset.url]
            if linked[asset.url] is None:
                self.report.missing_assets.append((url, asset.url))
        return linked

    def asset(self, url: str, title: str, is_image: bool) -> Linked | None:
        """A file not downloaded yet (`download` has looked up those that were)."""
        if self.dry_run:
            return Linked(is_image, 0) if self.source.asset(url) is not None else None
        data = self.source.asset(url)
        if data is None:
            return None
        name = PurePosixPath(unquote(urlsplit(url).path)).name or "file"
        title = (title.strip() or name)[:255]
        object_id = self.save_image(data, name, title) if is_image else self.save_document(data, name, title)
        if object_id is None:
            return None
        ImportedAsset.objects.create(site=self.site, old_url=url, is_image=is_image, object_id=object_id)
        return Linked(is_image, object_id)

    def save_image(self, data: bytes, name: str, title: str) -> int | None:
        from django.conf import settings

        if len(data) > settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE:
            return None
        try:
            with PILImage.open(BytesIO(data)) as probe:
                extension = IMAGE_FORMATS.get(probe.format or "")
                width, height = probe.size
        except (OSError, ValueError, PILImage.DecompressionBombError):
            return None
        if extension is None or width * height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
            return None
        stem = PurePosixPath(name).stem or "image"
        image = get_image_model()(
            title=title,
            description=title,
            collection=self.collection,
            file=ImageFile(BytesIO(data), name=f"{stem}.{extension}"),
        )
        image.save()
        return int(image.pk)

    def save_document(self, data: bytes, name: str, title: str) -> int | None:
        from django.conf import settings

        extension = PurePosixPath(name).suffix.lower().lstrip(".")
        if not extension:
            guessed = mimetypes.guess_extension(mimetypes.guess_type(name)[0] or "") or ""
            extension = guessed.lstrip(".")
        if extension not in settings.WAGTAILDOCS_EXTENSIONS or len(data) > max_asset_bytes():
            return None
        if extension in OFFICE_EXTENSIONS and archive_problem(BytesIO(data)):
            return None
        document = get_document_model()(
            title=title, collection=self.collection, file=ContentFile(data, name=name)
        )
        document.save()
        return int(document.pk)


def run_import(
    site: Site, source: Source, mapping: ColumnMapping, **options: Any
) -> tuple[Report, ImportRun | None]:
    importer = Importer(site, source, mapping, **options)
    report = importer.execute()
    return report, importer.run
