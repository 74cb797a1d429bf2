"""热词: only what was searched is logged, readers are counted (not requests, never by address), and
only words an editor approved that pass the 错敏词 check are shown."""

from typing import TYPE_CHECKING

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from wagtail.models import GroupSitePermission, Site

from govsite.checks.models import WordRule
from govsite.search.models import HotWord, SearchQueryClient, SearchQueryLog
from govsite.search.service import hot_words

if TYPE_CHECKING:
    from govsite.testing import ClientResponse

pytestmark = [pytest.mark.django_db, pytest.mark.both_engines]
KJT = "kjt.localhost"
SPAM_TAIL = "访问 http://spam.example 领取补贴"
SPAM_QUERY = "张 江 示 范 区 十 年 发 " + SPAM_TAIL


def search(client: Client, query: str, ip: str = "203.0.113.7", path: str = "/search/") -> "ClientResponse":
    return client.get(path, {"q": query}, HTTP_HOST=KJT, REMOTE_ADDR=ip)


def shown_hot_words(client: Client) -> tuple[str, list[str]]:
    cache.clear()
    page = search(client, "张江", ip="198.51.100.1").content.decode()
    api = client.get("/search/api/hot/", HTTP_HOST=KJT).json()["hot_words"]
    return page, api


def test_the_ignored_tail_of_a_query_is_never_logged_or_shown(client: Client) -> None:
    for n in range(12):
        search(client, SPAM_QUERY, ip=f"203.0.113.{n + 1}")
    logged = list(SearchQueryLog.objects.values_list("query", flat=True))
    assert logged == ["张 江 示 范 区 十 年 发"]
    assert not any("spam" in q or "补贴" in q for q in logged)
    page, api = shown_hot_words(client)
    assert "spam.example" not in page and "领取补贴" not in page
    assert not any("spam" in w for w in api)


def test_readers_are_counted_not_requests_and_no_address_is_stored(client: Client) -> None:
    for _ in range(12):
        search(client, "集成电路", ip="203.0.113.7")
    search(client, "集成电路", ip="203.0.113.8", path="/search/api/")
    row = SearchQueryLog.objects.get(query="集成电路")
    assert row.hits == 2
    stored = [str(v) for v in SearchQueryClient.objects.values_list("key", flat=True)]
    assert stored and not any("203.0.113" in key for key in stored)


def test_only_approved_words_are_shown(client: Client, settings) -> None:
    settings.GOVSITE_SEARCH_HOT_WORD_MIN_CLIENTS = 3
    for n in range(3):
        search(client, "集成电路", ip=f"203.0.113.{n + 1}")
    candidate = HotWord.objects.get(word="集成电路")
    assert candidate.status == HotWord.Status.PENDING
    assert candidate.site is not None and candidate.site.hostname == KJT
    page, api = shown_hot_words(client)
    assert "集成电路" not in api and "热门搜索" not in page

    candidate.status = HotWord.Status.APPROVED
    candidate.save()
    page, api = shown_hot_words(client)
    assert api == ["集成电路"] and "热门搜索" in page and ">集成电路</a>" in page

    HotWord.objects.create(site=None, word="集成电路", status=HotWord.Status.BLOCKED)  # a platform block wins
    _, api = shown_hot_words(client)
    assert api == []


def test_approved_words_must_pass_the_sensitive_word_check(client: Client) -> None:
    site = Site.objects.get(hostname=KJT)
    HotWord.objects.create(site=site, word="示范区", status=HotWord.Status.APPROVED)
    HotWord.objects.create(site=None, word="成果转化", status=HotWord.Status.APPROVED)
    _, api = shown_hot_words(client)
    assert set(api) == {"示范区", "成果转化"}
    WordRule.objects.create(site=site, kind=WordRule.Kind.SENSITIVE, word="示范")
    _, api = shown_hot_words(client)
    assert api == ["成果转化"]
    assert hot_words(Site.objects.exclude(hostname=KJT).first()) == ["成果转化"]


def test_a_candidate_with_a_sensitive_word_is_recorded_as_blocked(client: Client, settings) -> None:
    settings.GOVSITE_SEARCH_HOT_WORD_MIN_CLIENTS = 1
    WordRule.objects.create(site=None, kind=WordRule.Kind.SENSITIVE, word="集成电")
    search(client, "集成电路")
    word = HotWord.objects.get(word="集成电路")
    assert word.status == HotWord.Status.BLOCKED and "集成电" in word.note


def test_site_administrators_decide_only_their_own_sites_words(client: Client) -> None:
    kjt = Site.objects.get(hostname=KJT)
    other = Site.objects.exclude(pk=kjt.pk).first()
    own = HotWord.objects.create(site=kjt, word="集成电路")
    foreign = HotWord.objects.create(site=other, word="别的部门")
    platform = HotWord.objects.create(site=None, word="全平台")
    admins = GroupSitePermission.objects.get(site=kjt, permission__codename="change_siteprofile").group
    user = get_user_model().objects.create_user("kjt-hot-admin", password="x")
    user.groups.add(admins)
    client.force_login(user)
    listing = client.get("/admin/snippets/govsite_search/hotword/").content.decode()
    assert "集成电路" in listing and "别的部门" not in listing and "全平台" not in listing
    assert client.get(f"/admin/snippets/govsite_search/hotword/edit/{own.pk}/").status_code == 200
    for word in (foreign, platform):
        url = f"/admin/snippets/govsite_search/hotword/edit/{word.pk}/"
        assert client.get(url).status_code in (302, 403, 404)
        client.post(
            url,
            {"site": kjt.pk, "word": word.word, "status": "approved", "note": ""},
        )
        word.refresh_from_db()
        assert word.status == HotWord.Status.PENDING
