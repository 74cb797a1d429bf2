"""`govsite import --propose-mapping`: the mapping file's first draft, from the old pages' addresses
and breadcrumbs (`mapping.propose_columns`), each old prefix with a guess at its govsite column:
the column at the same path, else one whose title is the old column's last breadcrumb name."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from wagtail.models import Site

from . import extract
from .columns import SiteColumns, normalise, write_mapping
from .extract import ExtractedPage
from .sources import Source, SourcePage


def propose_mapping(
    site: Site,
    source: Source,
    *,
    limit: int | None = None,
    progress: Callable[[SourcePage], None] | None = None,
) -> tuple[str, int]:
    """(the mapping file's text, how many article pages it was proposed from)."""
    from .mapping import propose_columns

    pages: list[tuple[str, tuple[str, ...]]] = []
    for seen, page in enumerate(source.pages()):
        if limit is not None and seen >= limit:
            break
        if page.raw is not None:
            try:
                extracted = extract.extract_page(page.raw, page.url)
            except Exception:  # a page that cannot be read proposes nothing; the import reports it
                extracted = None
            if isinstance(extracted, ExtractedPage):
                pages.append((page.url, extracted.breadcrumbs))
        if progress:
            progress(page)
    columns = SiteColumns(site)
    by_title = {column.title: path for path, column in columns.by_path.items()}
    lines = []
    for proposed in propose_columns(pages):
        old = normalise(
            urlsplit(proposed.old_prefix).path if "://" in proposed.old_prefix else proposed.old_prefix
        )
        guess = old if columns.get(old) is not None else ""
        if not guess and proposed.names:
            guess = by_title.get(proposed.names[-1], "")
        lines.append((old, guess, proposed.page_count, tuple(proposed.names)))
    return write_mapping(lines), len(pages)
