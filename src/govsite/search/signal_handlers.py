"""Update the index the moment a page is published, unpublished, moved, restricted or deleted."""

from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from govsite.checks.models import WordRule
from govsite.content.attachments import file_signature
from govsite.content.models import DocumentText
from govsite.content.signals import page_restored, page_validity_changed, page_withdrawn
from govsite.core.bulk import defer_batch

from . import indexer, service
from .models import HotWord, SearchDocument


def on_published(sender: Any, instance: Page, **kwargs: Any) -> None:
    indexer.index_page(instance)


def on_unpublished(sender: Any, instance: Page, **kwargs: Any) -> None:
    # Remove without reloading: Wagtail also unpublishes (commit=False) a page it is about to delete.
    SearchDocument.objects.filter(page_id=instance.pk).delete()


def on_withdrawal_changed(sender: Any, instance: Page, **kwargs: Any) -> None:
    """撤稿 drops the page from the index, its restoration adds it again (the page stays live, so
    page_published/page_unpublished are not sent); a change of 文件效力 re-indexes it."""
    indexer.index_page(instance)


def on_moved(sender: Any, instance: Page, **kwargs: Any) -> None:
    indexer.refresh_subtree(Page.objects.get(pk=instance.pk))


def on_page_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Page):
        indexer.remove_subtree(instance)


def on_restriction_change(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        indexer.refresh_subtree(page)


def on_site_saving(sender: Any, instance: Site, **kwargs: Any) -> None:
    old = Site.objects.filter(pk=instance.pk).values_list("root_page_id", flat=True).first()
    instance._govsite_old_root_id = old


def on_site_saved(sender: Any, instance: Site, created: bool, **kwargs: Any) -> None:
    if instance.root_page_id != getattr(instance, "_govsite_old_root_id", None):
        # Only what the site changes (site id, addresses); page text is not re-segmented.
        indexer.refresh_subtree(instance.root_page)


def on_document_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Queue the extraction of an upload's text (search.tasks); never parse it in the request."""
    from govsite.core.background import enqueue_once

    from .tasks import extract_document_text

    if defer_batch("search-document-text", instance.pk, queue_document_texts):
        return  # a bulk build (an import) queues its uploads' extraction once, at its end
    stored = DocumentText.objects.filter(document=instance).first()
    if stored is not None and stored.file_hash == file_signature(instance):
        return
    enqueue_once(extract_document_text, instance.pk)


def queue_document_texts(document_ids: list[Any]) -> None:
    """What `on_document_saved` does for each of these documents, with one read of the queue."""
    from govsite.core.background import enqueue_each_once

    from .tasks import extract_document_text

    documents = get_document_model().objects.filter(pk__in=document_ids).in_bulk()
    stored = {text.document_id: text for text in DocumentText.objects.filter(document_id__in=document_ids)}
    calls = [
        (pk,)
        for pk in document_ids
        if pk in documents and not (pk in stored and stored[pk].file_hash == file_signature(documents[pk]))
    ]
    enqueue_each_once(extract_document_text, calls)


def clear_hot_words(sender: Any, **kwargs: Any) -> None:
    """A 热词 decision or a 错敏词 rule changed: every site shows its new 热词 at once."""
    keys = [service.hot_words_key(pk) for pk in Site.objects.values_list("pk", flat=True)]
    cache.delete_many([*keys, service.hot_words_key(None)])


def connect() -> None:
    page_published.connect(on_published, dispatch_uid="govsite_search_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="govsite_search_unpublished")
    post_page_move.connect(on_moved, dispatch_uid="govsite_search_moved")
    page_withdrawn.connect(on_withdrawal_changed, dispatch_uid="govsite_search_withdrawn")
    page_restored.connect(on_withdrawal_changed, dispatch_uid="govsite_search_restored")
    page_validity_changed.connect(on_withdrawal_changed, dispatch_uid="govsite_search_validity")
    pre_delete.connect(on_page_delete, dispatch_uid="govsite_search_page_delete")
    post_save.connect(
        on_restriction_change, sender=PageViewRestriction, dispatch_uid="govsite_search_restr_save"
    )
    post_delete.connect(
        on_restriction_change, sender=PageViewRestriction, dispatch_uid="govsite_search_restr_del"
    )
    pre_save.connect(on_site_saving, sender=Site, dispatch_uid="govsite_search_site_saving")
    post_save.connect(on_site_saved, sender=Site, dispatch_uid="govsite_search_site_saved")
    for model in (HotWord, WordRule):
        uid = f"govsite_search_hot_{model.__name__}"
        post_save.connect(clear_hot_words, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(clear_hot_words, sender=model, dispatch_uid=f"{uid}_deleted")
    post_save.connect(
        on_document_saved, sender=get_document_model(), dispatch_uid="govsite_search_document_saved"
    )
