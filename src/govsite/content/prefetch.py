"""Per-article records read in bulk for a publishing run instead of one query per page.

A full rebuild renders articles in chunks; before a chunk, the publisher calls `prime_articles`
with their ids, which loads each record every article page shows (the article itself, its 撤稿
and 文件效力 records) in one query per kind and stores them in the run's cache
(`core.fragments`). The readers below find them there; outside a run they query as before, so a
dynamic request or a preview never sees a stale record. Higher apps prime their own records through
the `govsite_prime_articles` hook (called with the same ids).
"""

from collections.abc import Collection
from typing import Any

from wagtail import hooks

from govsite.core.fragments import cached_value, in_run, prime

from .models import ArticleAttachment, ArticlePage, DocumentValidity, Withdrawal


def page_validity_of(page_id: int) -> DocumentValidity | None:
    """The 文件效力 record of a page, or None."""

    def load() -> DocumentValidity | None:
        return DocumentValidity.objects.filter(page_id=page_id).select_related("replaced_by").first()

    return cached_value(("validity", page_id), load)


def withdrawal_of(page_id: int) -> Withdrawal | None:
    """The 撤稿 record of a page, or None."""

    def load() -> Withdrawal | None:
        return Withdrawal.objects.filter(page_id=page_id).select_related("replacement").first()

    return cached_value(("withdrawal", page_id), load)


def prime_validities(ids: Collection[int]) -> None:
    """Load the 文件效力 records of these pages in one query (a list page shows each row's status)."""
    if not ids or not in_run():
        return
    validities = DocumentValidity.objects.filter(page_id__in=ids).select_related("replaced_by")
    by_page = {validity.page_id: validity for validity in validities}
    prime({("validity", pk): by_page.get(pk) for pk in ids})


def prime_articles(ids: Collection[int]) -> None:
    """Load what the pages of these articles show, one query per kind, into the run's cache."""
    if not ids or not in_run():  # outside a run nothing would be kept
        return
    articles = ArticlePage.objects.live().in_bulk(list(ids))
    validities = DocumentValidity.objects.filter(page_id__in=ids).select_related("replaced_by")
    by_page_validity = {validity.page_id: validity for validity in validities}
    withdrawals = Withdrawal.objects.filter(page_id__in=ids).select_related("replacement")
    by_page_withdrawal = {withdrawal.page_id: withdrawal for withdrawal in withdrawals}
    attachments: dict[int, list[ArticleAttachment]] = {pk: [] for pk in ids}
    for attachment in ArticleAttachment.objects.filter(page_id__in=ids).select_related("document"):
        attachments[attachment.page_id].append(attachment)  # in sort_order (Orderable)
    values: dict[Any, Any] = {}
    for pk in ids:
        values["attachments", pk] = attachments[pk]
        values["live_article", pk] = articles.get(pk)
        values["validity", pk] = by_page_validity.get(pk)
        values["withdrawal", pk] = by_page_withdrawal.get(pk)
    prime(values)
    for fn in hooks.get_hooks("govsite_prime_articles"):
        fn(ids)
