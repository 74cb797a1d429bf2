"""One search, as the page and the API both run it: validate, match, rank, page, explain."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString
from wagtail.models import Page, Site

from govsite.checks.rules import TextPart, check_words
from govsite.checks.services import word_matcher_for
from govsite.content.visibility import is_listed, listed
from govsite.versions.registry import STANDARD, Version, versioned_url

from .backends import RANK_WINDOW, Filters, get_backend
from .highlight import highlight, snippet
from .models import HotWord, PageKind, SearchDocument, SearchPromotion, SearchQueryClient, SearchQueryLog
from .segment import CONTROL_RE, ParsedQuery, highlight_terms, parse_query
from .suggest import PINYIN_RE, correct, related_terms

MAX_QUERY_CHARS: int = getattr(settings, "GOVSITE_SEARCH_MAX_QUERY_CHARS", 50)
PAGE_SIZE = 10
MAX_PAGES = RANK_WINDOW // PAGE_SIZE  # deep pages are never useful; relevance ranks this many
HOT_WORDS_DAYS = 30


# Bounds that keep every value inside what Python dates and database integers hold: a date
# filter becomes a time-zone aware datetime (and date_to the next midnight), an id a 32-bit key.
MIN_DATE, MAX_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
MAX_ID = 2**31 - 1
ID_ERRORS = {"invalid": "应为正整数", "min_value": "应为正整数", "max_value": "超出范围"}
DATE_ERRORS = {"invalid": "应为 YYYY-MM-DD 格式的日期"}
CHOICE_ERRORS = {"invalid_choice": "不是可选的值"}
DATE_RANGE_ERROR = f"应在 {MIN_DATE:%Y-%m-%d} 至 {MAX_DATE:%Y-%m-%d} 之间"


def date_field() -> forms.DateField:
    return forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages=DATE_ERRORS,
        validators=[
            MinValueValidator(MIN_DATE, DATE_RANGE_ERROR),
            MaxValueValidator(MAX_DATE, DATE_RANGE_ERROR),
        ],
    )


def id_field() -> forms.IntegerField:
    return forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, error_messages=ID_ERRORS)


class SearchForm(forms.Form):
    """The GET parameters; every one optional and bounded, with a Chinese message when not valid."""

    q = forms.CharField(required=False, strip=True, max_length=1000)
    scope = forms.ChoiceField(
        required=False, choices=[("site", "本站"), ("all", "全站（站群）")], error_messages=CHOICE_ERRORS
    )
    site = id_field()
    column = id_field()
    type = forms.ChoiceField(
        required=False, choices=[("", "全部"), *PageKind.choices], error_messages=CHOICE_ERRORS
    )
    date_from = date_field()
    date_to = date_field()
    sort = forms.ChoiceField(
        required=False, choices=[("relevance", "相关度"), ("date", "发布时间")], error_messages=CHOICE_ERRORS
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGES,
        error_messages={**ID_ERRORS, "max_value": f"最大为 {MAX_PAGES}"},
    )


FIELD_LABELS = {
    "site": "站点",
    "column": "栏目",
    "type": "类型",
    "date_from": "开始日期",
    "date_to": "结束日期",
    "sort": "排序",
    "page": "页码",
    "scope": "范围",
}


def parameter_errors(form: SearchForm, strict: bool = False) -> list[str]:
    """One Chinese message per invalid parameter ("ignored" on the page; the API refuses instead).
    The query itself is checked (length, content) on its own, after control characters are removed,
    so its form errors are not repeated."""
    consequence = "。" if strict else "，已忽略。"
    messages = []
    for name, errors in form.errors.items():
        if name in FIELD_LABELS:
            messages.append(f"“{FIELD_LABELS[name]}”参数无效（{errors[0]}）{consequence}")
    return messages


@dataclass
class Hit:
    doc: SearchDocument
    url: str
    site_name: str
    title_html: SafeString
    snippet_html: SafeString


@dataclass
class Outcome:
    """Everything a results page or API response shows."""

    query: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    num_pages: int = 0
    corrected_from: str = ""
    suggestion: str = ""
    related: list[str] = field(default_factory=list)
    promotions: list[tuple[SearchPromotion, str]] = field(default_factory=list)
    took_ms: float = 0.0
    searched: bool = False
    capped: bool = False  # total is a lower bound: "5000 条以上"
    estimated: bool = False  # total is an estimate: "约 23000 条"


def clean_query(raw: str) -> str:
    return " ".join(CONTROL_RE.sub(" ", raw or "").split())


def site_name(site: Site) -> str:
    return str(site.site_name or site.hostname)


def page_url(doc: SearchDocument, current: Site | None, version: Version) -> str:
    """Relative on the current site (kept in the reader's version), absolute on another site."""
    if doc.site is None or (current is not None and doc.site_id == current.pk):
        return versioned_url(doc.url_path, version)
    return f"{doc.site.root_url}{version.prefix}{doc.url_path}"


def build_filters(data: dict[str, Any], current: Site | None) -> Filters:
    filters = Filters()
    if data.get("scope") != "all" and current is not None:
        filters.site_ids = [current.pk]
    elif data.get("site"):
        filters.site_ids = [data["site"]]
    if data.get("column"):
        column = Page.objects.filter(pk=data["column"]).values_list("path", flat=True).first()
        filters.path_prefix = column or "~"  # an unknown column matches nothing
    if data.get("type"):
        filters.kinds = [data["type"]]
    filters.date_from, filters.date_to = data.get("date_from"), data.get("date_to")
    return filters


def fetch_hits(ids: list[int], query: ParsedQuery, current: Site | None, version: Version) -> list[Hit]:
    """The documents to show, in order. Defence in depth: only listed pages (`visibility.listed`:
    live, unrestricted, not expired, not withdrawn) reach a reader, whatever the index says."""
    docs = (
        SearchDocument.objects.filter(page__live=True)
        .select_related("site")
        .defer("t_title", "t_summary", "t_body", "t_source", "t_attachments", "search_vector")
        .in_bulk(ids)
    )
    page_ids = [doc.page_id for doc in docs.values()]
    shown = set(listed(Page.objects.filter(pk__in=page_ids)).values_list("pk", flat=True)) if docs else set()
    terms = highlight_terms(query)
    hits = []
    for doc in (docs[i] for i in ids if i in docs):
        if doc.page_id not in shown:
            continue
        hits.append(
            Hit(
                doc=doc,
                url=page_url(doc, current, version),
                site_name=site_name(doc.site) if doc.site else "",
                title_html=highlight(doc.title, terms),
                snippet_html=snippet([doc.summary, doc.body, doc.attachment_text, doc.source], terms),
            )
        )
    return hits


def promotions_for(query: str, current: Site | None, version: Version) -> list[tuple[SearchPromotion, str]]:
    if not query:
        return []
    scope = Q(site__isnull=True) | Q(site=current) if current else Q(site__isnull=True)
    found = []
    for promo in SearchPromotion.objects.filter(scope).select_related("page"):
        if promo.keyword and promo.keyword.lower() in query.lower() and is_listed(promo.page):
            found.append((promo, versioned_url(promo.page.get_url() or "", version)))
    return found[:3]


def client_key(day: dt.date, site: Site | None, query: str, client: str) -> str:
    """A salted hash that tells a repeated search by the same client on one day, and nothing more:
    the address is never stored, and the key changes with the day, site and query."""
    value = f"{day.isoformat()}|{site.pk if site else 0}|{query}|{client}"
    return salted_hmac("govsite.search.hot-words", value, algorithm="sha256").hexdigest()[:40]


def log_query(query: str, site: Site | None, client: str) -> None:
    """Count a reader who searched `query` (the parsed query, never the raw input) and found
    something, once per client and day; a query searched by enough readers becomes a 热词 candidate.
    Never allowed to break the search."""
    query = query[:50]
    if not query:
        return
    today = timezone.localdate()
    try:
        with transaction.atomic():
            SearchQueryClient.objects.filter(day__lt=today).delete()
            _, counted = SearchQueryClient.objects.get_or_create(
                day=today, key=client_key(today, site, query, client)
            )
            if not counted:
                return  # the same client again: not one more reader
            updated = SearchQueryLog.objects.filter(site=site, query=query, day=today).update(
                hits=F("hits") + 1
            )
            if not updated:
                SearchQueryLog.objects.create(site=site, query=query, day=today, hits=1)
        propose_hot_word(query, site)
    except IntegrityError:
        pass


def hot_word_min_clients() -> int:
    """Readers needed (distinct clients a day, last 30 days) before a query is a 热词 candidate."""
    return int(getattr(settings, "GOVSITE_SEARCH_HOT_WORD_MIN_CLIENTS", 3))


def word_problems(word: str, site: Site | None) -> list[str]:
    """What the 错敏词 check finds in a word, with the rules of the site and the platform."""
    return [f.message for f in check_words(TextPart("hot_word", "热词", word), word_matcher_for(site))]


def propose_hot_word(query: str, site: Site | None) -> None:
    """Make a query a 热词 candidate (待审) once enough readers searched it; one that fails the 错敏词
    check is recorded as blocked, so nobody approves it by mistake."""
    if HotWord.objects.filter(Q(site=site) | Q(site__isnull=True), word=query).exists():
        return
    since = timezone.localdate() - dt.timedelta(days=HOT_WORDS_DAYS)
    readers = SearchQueryLog.objects.filter(site=site, query=query, day__gte=since).aggregate(n=Sum("hits"))
    if (readers["n"] or 0) < hot_word_min_clients():
        return
    problems = word_problems(query, site)
    status = HotWord.Status.BLOCKED if problems else HotWord.Status.PENDING
    with transaction.atomic():
        HotWord.objects.get_or_create(
            site=site, word=query, defaults={"status": status, "note": "；".join(problems)[:200]}
        )


def hot_words_key(site_id: int | None) -> str:
    return f"govsite-search-hot-{site_id or 0}"


def hot_words(site: Site | None, limit: int = 8) -> list[str]:
    """The approved 热词 of this site and of the whole platform that pass the 错敏词 check, most
    searched first (cached for five minutes; a change to a 热词 clears the cache)."""
    key = hot_words_key(site.pk if site else None)
    words: list[str] | None = cache.get(key)
    if words is None:
        scope = Q(site=site) | Q(site__isnull=True) if site else Q(site__isnull=True)
        rows = HotWord.objects.filter(scope, status__in=[HotWord.Status.APPROVED, HotWord.Status.BLOCKED])
        blocked = {word for word, status in rows.values_list("word", "status") if status == "blocked"}
        approved = {word for word, status in rows.values_list("word", "status") if status == "approved"}
        candidates = [w for w in approved - blocked if not word_problems(w, site)]
        since = timezone.localdate() - dt.timedelta(days=HOT_WORDS_DAYS)
        readers = dict(
            SearchQueryLog.objects.filter(site=site, day__gte=since, query__in=candidates)
            .values("query")
            .annotate(total=Sum("hits"))
            .values_list("query", "total")
        )
        words = sorted(candidates, key=lambda w: (-readers.get(w, 0), w))[:limit]
        cache.set(key, words, 300)
    return words


def run_search(
    params: Any,
    current: Site | None,
    version: Version = STANDARD,
    log: bool = True,
    strict: bool = False,
    client: str = "",
) -> Outcome:
    """Validate the parameters and run the search; bad input gives messages, never an exception.

    The page ignores an invalid parameter (with a message) and searches; with `strict` (the API)
    an invalid parameter stops the search, so a client learns of its mistake from a 400.
    `client` (the reader's address) only tells repeated searches apart for 热词; it is not stored.
    """
    started = time.perf_counter()
    form = SearchForm(params)
    outcome = Outcome()
    form.is_valid()
    outcome.errors.extend(parameter_errors(form, strict))
    data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    raw = clean_query(str(params.get("q", "")))
    outcome.query = raw
    outcome.params = data
    if strict and outcome.errors:
        return outcome
    if not raw:
        if "q" in params:
            outcome.errors.append("请输入搜索词。")
        return outcome
    if len(raw) > MAX_QUERY_CHARS:
        outcome.errors.append(f"搜索词过长（{len(raw)} 个字），请控制在 {MAX_QUERY_CHARS} 个字以内。")
        return outcome
    parsed = parse_query(raw)
    if not parsed:
        outcome.errors.append("搜索词中没有可以检索的文字或数字，请换一个搜索词。")
        return outcome
    if data.get("scope") == "all":
        data.pop("column", None)  # a column belongs to one site: 全站 searches every column
    if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
        data["date_from"], data["date_to"] = data["date_to"], data["date_from"]
    backend = get_backend()
    filters = build_filters(data, current)
    outcome.searched = True
    count = backend.count(parsed, filters)
    # Look for a correction only when it can help: nothing found, or letters that may be 拼音.
    suggestion = correct(raw) if count.value == 0 or PINYIN_RE.match(raw.lower()) else None
    if count.value == 0 and suggestion:
        corrected = parse_query(suggestion)
        corrected_count = backend.count(corrected, filters) if corrected else count
        if corrected_count.value:
            outcome.corrected_from, outcome.query, parsed, count = raw, suggestion, corrected, corrected_count
    elif suggestion and suggestion != raw:
        outcome.suggestion = suggestion
    outcome.total = count.value
    outcome.capped, outcome.estimated = count.kind == "at_least", count.kind == "about"
    outcome.num_pages = min(MAX_PAGES, -(-outcome.total // PAGE_SIZE))
    outcome.page = min(data.get("page") or 1, max(outcome.num_pages, 1))
    if outcome.total:
        ids = backend.search(
            parsed, filters, data.get("sort") or "relevance", (outcome.page - 1) * PAGE_SIZE, PAGE_SIZE
        )
        outcome.hits = fetch_hits(ids, parsed, current, version)
        if log:
            log_query(" ".join(parsed.terms), current, client)
    else:
        outcome.related = related_terms(raw)
    outcome.promotions = promotions_for(outcome.query, current, version)
    outcome.took_ms = (time.perf_counter() - started) * 1000
    return outcome
