"""Changesets: what a publish changed, recorded per site with a sequence number, and the safe order
in which a target receives it (never a link to a file the target does not have yet)."""

import hashlib
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet
from wagtail.models import Site

from govsite.content.models import ARTICLE_FILE_RE
from govsite.publishing.layout import file_of_status_file, is_temporary, site_dir
from govsite.sites.sequences import next_value

from .models import Changeset

SEQUENCE = "delivery-changeset"
PAGE_SUFFIXES = (".html", ".xml", ".txt", ".json", ".nginx")


def sha256_of(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def current_manifest(root: Path, paths: Iterable[str]) -> dict[str, str | None]:
    """Each path's sha256 in the source directory now, None where the file is gone."""
    manifest: dict[str, str | None] = {}
    for rel in paths:
        file = root / rel
        manifest[rel] = sha256_of(file) if file.is_file() else None
    return manifest


def record(site: Site, paths: list[str] | None) -> Changeset:
    """Store what a publish changed (None: the whole site) under the site's next sequence number."""
    manifest = {} if paths is None else current_manifest(site_dir(site.hostname), paths)
    with transaction.atomic():
        sequence = next_value(site, SEQUENCE, 0)
        return Changeset.objects.create(
            site=site, sequence=sequence, whole_site=paths is None, manifest=manifest
        )


def needs_whole_site(after: QuerySet[Changeset], since: int, latest: int) -> bool:
    """Whether only a copy of the whole site brings a copy at changeset `since` to `latest`: one of the
    changesets `after` it is "whole site", or some were pruned meanwhile (fewer stored than numbers)."""
    return after.filter(whole_site=True).exists() or after.count() != latest - since


def is_delivered(rel: str) -> bool:
    """False for a publisher's temporary file (.name.pid.thread.tmp), caught between write and rename."""
    return not is_temporary(rel.rsplit("/", 1)[-1])


def stage(rel: str) -> int:
    """0: assets (images, attachments: what pages link to), 1: article pages, 2: everything that links
    to articles (column lists, home, feeds, sitemaps) and the redirect maps. Removals come after all."""
    name = rel.rsplit("/", 1)[-1]
    if name.endswith(".gz"):
        name = name[:-3]
    status_of = file_of_status_file(rel)
    if status_of is not None:
        name = status_of.rsplit("/", 1)[-1]
    elif not name.endswith(PAGE_SUFFIXES):
        return 0
    return 1 if ARTICLE_FILE_RE.match(name) else 2


def ordered_by_stage(present: Iterable[str]) -> list[list[str]]:
    """The present files by stage (0, 1, 2), each group sorted; a group may be empty."""
    groups: list[list[str]] = [[], [], []]
    for rel in sorted(present):
        groups[stage(rel)].append(rel)
    return groups


def ordered(present: Iterable[str]) -> list[list[str]]:
    """The present files in delivery order, as groups (each group is sent before the next begins)."""
    return [group for group in ordered_by_stage(present) if group]


def address_file(rel: str) -> str:
    """The file holding an address's page: itself, or the one a status file or .gz twin stands for."""
    status_of = file_of_status_file(rel)
    if status_of is not None:
        return status_of
    return rel[:-3] if rel.endswith(".gz") else rel


def delivery_order(
    present: Iterable[str], removed: Iterable[str]
) -> tuple[list[tuple[list[str], list[str]]], list[str]]:
    """The groups to send in order, each with the stale answers to drop as it is sent, and the removals
    to make after every group.

    A removed status file or .gz twin of an address whose page is sent (a 410 notice of a restored
    article, a .gz twin no longer needed, the markers publishing clears on every write) is a stale answer:
    no page links to it and, the page being there, no reader is answered with it, so it goes with its
    page's group. A removed page stays last: lists that linked to it are replaced first."""
    sent = set(present)
    groups: dict[int, tuple[list[str], list[str]]] = {
        index: (files, []) for index, files in enumerate(ordered_by_stage(sent))
    }
    last: list[str] = []
    for rel in sorted(removed):
        owner = address_file(rel)
        if owner != rel and owner in sent:
            groups[stage(owner)][1].append(rel)
        else:
            last.append(rel)
    return [group for group in groups.values() if group[0]], last
