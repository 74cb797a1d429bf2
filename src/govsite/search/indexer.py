"""Keep SearchDocument in step with the live, public page tree."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from multiprocessing import get_context
from typing import Any

import jieba
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper
from django.db.models import F
from django.utils import timezone
from pypinyin import Style, lazy_pinyin
from wagtail.models import Page

from govsite.content import visibility
from govsite.content.attachments import document_text, extract_missing_texts
from govsite.content.body import body_text
from govsite.content.models import ArticlePage, ColumnPage, InfoPage
from govsite.core.models import restricted_paths

from .backends import FIELD_TOKEN_LIMITS, get_backend
from .models import PageKind, SearchDocument, SearchTerm
from .segment import HAN_RUN_RE, index_tokens

KINDS: dict[type[Page], str] = {
    ArticlePage: PageKind.ARTICLE,
    InfoPage: PageKind.INFO,
    ColumnPage: PageKind.COLUMN,
}
TERM_MIN, TERM_MAX = 2, 8


def kind_of(page: Page) -> str | None:
    """The index kind of a specific page; a subclass (征集调查 pages are InfoPages) has its base's kind."""
    return next((KINDS[cls] for cls in type(page).__mro__ if cls in KINDS), None)


def withdrawn_ids(page_ids: Iterable[int]) -> set[int]:
    """The pages among `page_ids` under 撤稿 (`visibility.withdrawn_ids`), for a batch."""
    return visibility.withdrawn_ids(page_ids)


def is_searchable(page: Page, restricted: list[str] | None = None, withdrawn: set[int] | None = None) -> bool:
    """Of an indexed kind and listed (`visibility.is_listed`: live, unrestricted, not expired, not
    withdrawn). `restricted` and `withdrawn` may be computed once for a batch of pages."""
    if kind_of(page) is None:
        return False
    return visibility.is_listed(page, restricted, withdrawn)


class ColumnLookup:
    """Nearest 栏目 of a path, with the columns loaded once for a whole run."""

    def __init__(self) -> None:
        self.columns = {
            path: (pk, title) for pk, path, title in ColumnPage.objects.values_list("pk", "path", "title")
        }

    def __call__(self, page: Page) -> tuple[int | None, str]:
        path = page.path if isinstance(page, ColumnPage) else page.path[: -Page.steplen]
        while path:
            if path in self.columns:
                return self.columns[path]
            path = path[: -Page.steplen]
        return None, ""


def build_document(
    page: Page, columns: ColumnLookup | None = None
) -> tuple[SearchDocument, dict[str, list[str]]]:
    """The index row for a specific page and its segmented fields."""
    kind = kind_of(page)
    if kind is None:  # callers index only searchable pages (`is_searchable`)
        raise ValueError(f"{type(page).__name__} is not an indexed page type")
    columns = columns or ColumnLookup()
    parts = page.get_url_parts()
    site_id, url_path = (parts[0], parts[2]) if parts else (None, page.url_path)
    column_id, column_title = columns(page)
    summary = body = source = attachments = ""
    pub_date = page.last_published_at or page.first_published_at or timezone.now()
    if isinstance(page, ArticlePage):
        summary, body, source = page.summary, body_text(page.body), page.source
        pub_date = page.pub_date or pub_date
        attachments = "\n".join(
            f"{item.display_title}\n{document_text(item.document, extract=False)}"
            for item in page.attachments.select_related("document")
        )
    elif isinstance(page, InfoPage):
        body = body_text(page.body)
    elif isinstance(page, ColumnPage):
        summary = page.description
    fields = {
        "title": page.title,
        "summary": summary,
        "body": body,
        "source": source,
        "attachments": attachments,
    }
    tokens = {name: index_tokens(text, FIELD_TOKEN_LIMITS[name]) for name, text in fields.items()}
    doc = SearchDocument(
        page_id=page.pk,
        site_id=site_id,
        path=page.path,
        column_id=column_id,
        column_title=column_title,
        kind=kind,
        url_path=url_path,
        title=page.title,
        summary=summary,
        body=body,
        source=source,
        attachment_text=attachments,
        pub_date=pub_date,
    )
    get_backend().prepare(doc, tokens)
    return doc, tokens


def title_terms(title: str) -> set[str]:
    """Words of a title for pinyin and typo suggestions: jieba words plus two-character names."""
    terms: set[str] = set()
    for run in HAN_RUN_RE.findall(title):
        words = list(jieba.cut(run, HMM=True))
        terms.update(w for w in words if TERM_MIN <= len(w) <= TERM_MAX)
        terms.update(w for w in jieba.cut_for_search(run, HMM=False) if TERM_MIN <= len(w) <= TERM_MAX)
    return terms


def term_pinyin(term: str) -> str:
    return "".join(lazy_pinyin(term, style=Style.NORMAL, errors="ignore"))


def add_terms(counts: Counter[str]) -> None:
    if not counts:
        return
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=t, pinyin=term_pinyin(t)[:120], freq=0) for t in counts], ignore_conflicts=True
    )
    by_count: dict[int, list[str]] = {}
    for term, n in counts.items():
        by_count.setdefault(n, []).append(term)
    for n, terms in by_count.items():
        SearchTerm.objects.filter(term__in=terms).update(freq=F("freq") + n)


@transaction.atomic
def index_page(page: Page, restricted: list[str] | None = None, withdrawn: set[int] | None = None) -> bool:
    """(Re)index one page; remove it if it is no longer live and public. True if it is indexed."""
    page = page.specific
    old_url = SearchDocument.objects.filter(page_id=page.pk).values_list("url_path", flat=True).first()
    SearchDocument.objects.filter(page_id=page.pk).delete()
    if not is_searchable(page, restricted, withdrawn):
        return False
    doc, _ = build_document(page)
    doc.save()
    add_terms(Counter(title_terms(page.title)))
    if isinstance(page, ColumnPage):
        SearchDocument.objects.filter(column_id=page.pk).exclude(column_title=page.title).update(
            column_title=page.title
        )
        if old_url is not None and old_url != doc.url_path:
            refresh_subtree(page)  # a new slug moves every address below
    return True


def remove_subtree(page: Page) -> int:
    """Drop a page and everything below it from the index."""
    deleted, _ = SearchDocument.objects.filter(path__startswith=page.path).delete()
    return deleted


def refresh_subtree(page: Page) -> None:
    """After a move, a new slug or a view-restriction change, pages below have a new address or status.

    Text is only re-segmented for pages that were not indexed; the others get their new path,
    address, site and column.
    """
    restricted = restricted_paths()
    subtree = Page.objects.descendant_of(page, inclusive=True)
    withdrawn = withdrawn_ids(subtree.values_list("pk", flat=True))
    columns = ColumnLookup()
    for item in subtree.specific().iterator(chunk_size=500):
        if kind_of(item) is None:
            continue
        indexed = SearchDocument.objects.filter(page_id=item.pk)
        if not is_searchable(item, restricted, withdrawn):
            indexed.delete()
            continue
        if not indexed.exists():
            index_page(item, restricted, withdrawn)
            continue
        parts = item.get_url_parts()
        column_id, column_title = columns(item)
        updates: dict[str, Any] = {"path": item.path, "column_id": column_id, "column_title": column_title}
        if parts:
            updates.update(site_id=parts[0], url_path=parts[2])
        indexed.update(**updates)


INDEXED_MODELS = (ColumnPage, InfoPage, ArticlePage)


def live_page_batches(batch_size: int) -> Iterator[tuple[type[Page], list[int]]]:
    """Ids of every page kind the index holds, live; articles oldest first so the newest get the
    highest document ids (the relevance window prefers them)."""
    for model in INDEXED_MODELS:
        order = ("pub_date", "pk") if model is ArticlePage else ("path",)
        ids = list(model.objects.live().order_by(*order).values_list("pk", flat=True))
        for start in range(0, len(ids), batch_size):
            yield model, ids[start : start + batch_size]


_run: dict[str, Any] = {}  # set before the worker processes fork, read by them


def _build_batch(job: tuple[type[Page], list[int]]) -> tuple[list[SearchDocument], Counter[str]]:
    """Segment one batch of pages (in a worker process): the documents and their title terms."""
    model, ids = job
    by_id = model.objects.in_bulk(ids)
    withdrawn = withdrawn_ids(ids)
    docs: list[SearchDocument] = []
    terms: Counter[str] = Counter()
    for pk in ids:
        page = by_id.get(pk)
        if page is None or not is_searchable(page, _run["restricted"], withdrawn):
            continue
        docs.append(build_document(page, _run["columns"])[0])
        terms.update(title_terms(page.title))
    return docs, terms


def _in_memory_database() -> bool:
    """SQLite's `:memory:` database (tests), which worker processes would not see."""
    database = connections[DEFAULT_DB_ALIAS]  # the backend itself, not the `connection` proxy
    return isinstance(database, SQLiteDatabaseWrapper) and database.is_in_memory_db()


def reindex_all(batch_size: int = 500, progress: Any = None, jobs: int = 1) -> int:
    """Rebuild the whole index (`govsite reindex`): pages are segmented in `jobs` processes and
    written by this one, a transaction per batch, in order; terms at the end."""
    extract_missing_texts()  # uploads the extraction task has not reached (or from before it existed)
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    _run.update(restricted=restricted_paths(), columns=ColumnLookup())
    jieba.initialize()  # load the dictionary once, before the workers fork
    batches = list(live_page_batches(batch_size))
    terms: Counter[str] = Counter()
    done = 0

    def write(result: tuple[list[SearchDocument], Counter[str]]) -> None:
        nonlocal done
        docs, batch_terms = result
        with transaction.atomic():
            SearchDocument.objects.bulk_create(docs)
        terms.update(batch_terms)
        done += len(docs)
        if progress:
            progress(done)

    # Worker processes see only committed data in a database file or server: inside a
    # transaction (tests) or with an in-memory database, segment here.
    in_memory = _in_memory_database()
    if jobs <= 1 or len(batches) <= 1 or connection.in_atomic_block or in_memory:
        for batch in batches:
            write(_build_batch(batch))
    else:
        connections.close_all()  # each worker opens its own connection
        with get_context("fork").Pool(jobs) as pool:
            for result in pool.imap(_build_batch, batches):  # in order: ids follow pub_date
                write(result)
    add_terms(terms)
    _run.clear()
    return done
