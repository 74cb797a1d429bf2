"""Who handles which site's 征集调查 and 在线访谈: the `handle_participation` permission, granted per site.

Provisioning gives it to a department's 网站管理员 group on the department's site (signal_handlers.py):
a handler sees their own site's pages and submissions only; a row of another site loaded by id is a 404.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404
from wagtail.models import Page, Site

from govsite.core.types import RequestUser
from govsite.sites.models import sites_granted

from .models import PERMISSION, InterviewPage, SolicitationPage, SurveyPage

PAGE_MODELS: tuple[type[Page], ...] = (SolicitationPage, SurveyPage, InterviewPage)
M = TypeVar("M", bound=Model)


def handler_sites(user: RequestUser) -> QuerySet[Site]:
    return sites_granted(user, PERMISSION)


def visible_pages(user: RequestUser) -> list[Page]:
    """The participation pages under the roots of the user's sites (drafts included), newest first."""
    roots = list(Page.objects.filter(sites_rooted_here__in=handler_sites(user)))
    pages: list[Page] = []
    for model in PAGE_MODELS:
        for root in roots:
            pages.extend(model.objects.descendant_of(root, inclusive=False))
    pages.sort(key=lambda p: p.pk, reverse=True)  # created last first; a draft has no publication date
    return pages


def page_for(user: RequestUser, pk: int) -> Page:
    """A participation page loaded by id, checked like the list."""
    for page in visible_pages(user):
        if page.pk == pk:
            return page
    raise Http404("没有这个页面，或您无权处理。")


def row_for(user: RequestUser, model: type[M], pk: int) -> M:
    """A submission loaded by id, checked like the list: another department's is a 404, not a 403."""
    row = model._default_manager.filter(site__in=handler_sites(user), pk=pk).first()
    if row is None:
        raise Http404("没有这条记录，或您无权处理。")
    return row
