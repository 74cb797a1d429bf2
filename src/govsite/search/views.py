"""站内搜索: the results page (/search/, /elder/search/) and the JSON API (/search/api/)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.models import Site

from govsite.content.models import ColumnPage
from govsite.content.visibility import listed
from govsite.core.middleware import client_ip
from govsite.versions.registry import STANDARD

from .models import PageKind
from .ratelimit import allow, rate_limit
from .service import MAX_QUERY_CHARS, Outcome, hot_words, run_search, site_name

logger = logging.getLogger(__name__)
RATE_MESSAGE = "您的搜索过于频繁，请稍等一分钟后再试。"


def column_choices(site: Site | None) -> list[tuple[int, str]]:
    """Columns of this site, two levels deep, for the 栏目 filter."""
    if site is None:
        return []
    choices = []
    columns = listed(ColumnPage.objects.descendant_of(site.root_page))
    for column in columns.filter(depth__lte=site.root_page.depth + 2).order_by("path"):
        indent = "　" * (column.depth - site.root_page.depth - 1)
        choices.append((column.pk, f"{indent}{column.title}"))
    return choices


def page_links(outcome: Outcome) -> list[int]:
    """At most nine page numbers around the current one."""
    first = max(1, min(outcome.page - 4, outcome.num_pages - 8))
    return list(range(first, min(outcome.num_pages, first + 8) + 1))


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    site = Site.find_for_request(request)
    if not allow(request):
        response = TemplateResponse(
            request, "search/rate_limited.html", {"message": RATE_MESSAGE, "limit": rate_limit()}, status=429
        )
        response["Retry-After"] = "60"
        return response
    version = getattr(request, "govsite_version", STANDARD)
    outcome = run_search(request.GET, site, version, client=client_ip(request) or "")
    query_params = request.GET.copy()
    query_params.pop("page", None)
    if outcome.corrected_from:
        query_params["q"] = outcome.query
    context = {
        "outcome": outcome,
        "data": outcome.params,
        "base_query": query_params.urlencode(),
        "page_links": page_links(outcome) if outcome.num_pages > 1 else [],
        "columns": column_choices(site),
        "sites": [(s.pk, site_name(s)) for s in Site.objects.order_by("-is_default_site", "hostname")],
        "kinds": PageKind.choices,
        "hot_words": hot_words(site),
        "max_query_chars": MAX_QUERY_CHARS,
        "search_site": site,
    }
    return TemplateResponse(request, "search/search_page.html", context)


def hit_json(hit: Any, request: HttpRequest) -> dict[str, Any]:
    doc = hit.doc
    url = hit.url if hit.url.startswith("http") else request.build_absolute_uri(hit.url)
    return {
        "title": doc.title,
        "title_html": str(hit.title_html),
        "url": url,
        "snippet_html": str(hit.snippet_html),
        "type": doc.kind,
        "type_label": PageKind(doc.kind).label,
        "site": hit.site_name,
        "site_id": doc.site_id,
        "column": doc.column_title,
        "source": doc.source,
        # 发布日期 is an article's; a column or information page has none to show
        "pub_date": timezone.localtime(doc.pub_date).isoformat() if doc.kind == PageKind.ARTICLE else None,
    }


def json_api(view: Callable[[HttpRequest], JsonResponse]) -> Callable[[HttpRequest], JsonResponse]:
    """An API view answers in JSON whatever happens: 405 for another method, and an unexpected
    failure is logged (with its traceback, for the operator) and answered with a short JSON 500."""

    @wraps(view)
    def wrapper(request: HttpRequest) -> JsonResponse:
        if request.method not in ("GET", "HEAD"):
            response = json_error("只支持 GET 请求。", 405)
            response["Allow"] = "GET, HEAD"
            return response
        try:
            return view(request)
        except Exception:
            logger.exception("search API failed: %s", request.get_full_path()[:500])
            return json_error("搜索服务暂时出现问题，请稍后再试。", 500)

    return wrapper


def json_error(message: str, status: int, **extra: Any) -> JsonResponse:
    response = JsonResponse(
        {"error": message, **extra}, status=status, json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@json_api
def search_api(request: HttpRequest) -> JsonResponse:
    """JSON for 政务新媒体 and other clients; documented in docs/search.md."""
    if not allow(request):
        response = JsonResponse(
            {"error": RATE_MESSAGE}, status=429, json_dumps_params={"ensure_ascii": False}
        )
        response["Retry-After"] = "60"
        return response
    site = Site.find_for_request(request)
    outcome = run_search(request.GET, site, strict=True, client=client_ip(request) or "")
    data = outcome.params
    status = 400 if outcome.errors and not outcome.searched else 200
    body: dict[str, Any] = {
        "error": "".join(outcome.errors) if status == 400 else None,
        "query": outcome.query,
        "corrected_from": outcome.corrected_from or None,
        "suggestion": outcome.suggestion or None,
        "scope": data.get("scope") or "site",
        "sort": data.get("sort") or "relevance",
        "total": outcome.total,
        "total_is_lower_bound": outcome.capped,
        "total_is_estimate": outcome.estimated,
        "page": outcome.page,
        "num_pages": outcome.num_pages,
        "page_size": 10,
        "results": [hit_json(hit, request) for hit in outcome.hits],
        "promoted": [
            {"title": p.page.title, "url": request.build_absolute_uri(u), "description": p.description}
            for p, u in outcome.promotions
        ],
        "related": outcome.related,
        "messages": outcome.errors,
        "took_ms": round(outcome.took_ms, 1),
    }
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # read-only public data, no credentials
    return response


@json_api
def hot_words_api(request: HttpRequest) -> JsonResponse:
    site = Site.find_for_request(request)
    return JsonResponse({"hot_words": hot_words(site)}, json_dumps_params={"ensure_ascii": False})
