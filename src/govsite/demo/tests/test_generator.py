"""`govsite demo --articles N`: bulk-generated sites are a consistent, servable Wagtail tree."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.test import Client
from wagtail.models import Page, Site

from govsite.content.body import body_html, body_text
from govsite.content.models import ArticlePage, ColumnPage
from govsite.demo.data import sample_text
from govsite.demo.data.wordlists import COLUMN_TREE
from govsite.demo.generator import (
    GenerateReport,
    TextGenerator,
    department_names,
    encode_step,
    existing_articles,
    generate,
)
from govsite.sites.models import Organisation

from .test_department_sites import assert_department_site

pytestmark = pytest.mark.django_db

SEED = 7
LEAF_KINDS = {slug: kind for *_, children in COLUMN_TREE for slug, *_, kind, _ in children}


@pytest.fixture(scope="module")
def generated(django_db_setup: None, django_db_blocker: Any) -> Iterator[GenerateReport]:
    """Generated once for the module's tests, inside a transaction rolled back after the last of them;
    each test runs in a savepoint of it, so what one test changes is gone for the next.

    Generating provisions two department sites (groups, 三审, the 政务公开 tree) and 300 articles: once
    per test it was the slowest setup of the suite."""
    with django_db_blocker.unblock(), transaction.atomic():
        # Small batches, so that several batches (and their numchild updates) are exercised.
        yield generate(300, sites=2, seed=SEED, port=80, batch_size=64)
        transaction.set_rollback(True)
    Site.clear_site_root_paths_cache()  # the sites vanish with the transaction


def generated_articles(hostname: str = "") -> list[ArticlePage]:
    homes = [s.root_page for s in Site.objects.filter(hostname__startswith=hostname or "gen")]
    articles = ArticlePage.objects.none()
    for home in homes:
        articles |= ArticlePage.objects.filter(path__startswith=home.path)
    return list(articles.order_by("pk"))


def test_encode_step_matches_treebeard():
    assert encode_step(1) == "0001"
    assert encode_step(36) == "0010"
    assert encode_step(36**4 - 1) == "ZZZZ"
    with pytest.raises(ValueError):
        encode_step(36**4)


def admin_client_for(client: Client) -> Client:
    client.force_login(get_user_model().objects.get(username="platform-admin"))
    return client


def test_generated_sites_are_department_sites_with_their_review_workflow(generated: GenerateReport):
    for number, name in enumerate(department_names()[:2], start=1):
        assert_department_site(f"gen{number}.localhost", name)


def test_sites_columns_articles_and_tree(generated: GenerateReport):
    assert generated.articles_created == 300
    assert len(generated.sites_created) == 2
    names = department_names()[:2]
    for number, name in enumerate(names, start=1):
        site = Site.objects.get(hostname=f"gen{number}.localhost")
        assert site.site_name == f"内蒙古自治区{name}"
        assert Organisation.objects.get(name=name).site == site
        titles = set(ColumnPage.objects.descendant_of(site.root_page).values_list("title", flat=True))
        assert {"新闻动态", "工作动态", "媒体聚焦", "通知公告", "政策文件", "办事指南", "征集调查"} <= titles
    articles = generated_articles()
    assert len(articles) == 300
    assert len({a.slug for a in articles}) == 300
    assert all(a.live and not a.has_unpublished_changes for a in articles)
    assert all(sample_text.SAMPLE_NOTE in body_text(a.body) for a in articles)
    assert all(a.pub_date is not None for a in articles)
    years = {a.pub_date.year for a in articles if a.pub_date is not None}
    assert len(years) >= 8  # spread over the years

    # The tree is one Wagtail and treebeard accept as their own.
    assert all(len(problems) == 0 for problems in Page.find_problems())
    for column in ColumnPage.objects.filter(url_path__startswith="/gen"):
        assert column.numchild == column.get_children().count(), column.url_path
    for article in generated_articles()[:50]:
        parent = article.get_parent()
        assert article.depth == parent.depth + 1
        assert article.url_path == f"{parent.url_path}{article.slug}/"
        assert article.first_published_at == article.pub_date

    # Same seed, same text: article number i is rebuilt exactly from the seed alone.
    for article in generated_articles("gen1")[:40]:
        index = int(article.slug[1:])
        kind = LEAF_KINDS[article.get_parent().slug]
        expected = TextGenerator(SEED).article(index, department_names()[0], kind)
        assert (article.title, body_html(article.body), article.source) == (
            expected.title,
            expected.body,
            expected.source,
        )
    first = TextGenerator(SEED).article(0, "财政厅", "news")
    assert first == TextGenerator(SEED).article(0, "财政厅", "news")
    others = {TextGenerator(seed).article(0, "财政厅", "news").body for seed in range(SEED + 1, SEED + 4)}
    assert first.body not in others


def test_generated_pages_are_served_and_listed_in_the_admin(client, generated: GenerateReport):
    site = Site.objects.get(hostname="gen1.localhost")
    article = max(generated_articles("gen1"), key=lambda a: (a.pub_date, a.pk))
    column = article.get_parent().specific
    host = {"HTTP_HOST": site.hostname}
    parts = article.get_url_parts()
    assert parts is not None
    url = parts[2]
    assert url == f"{column.url_path[len(site.root_page.url_path) - 1 :]}{article.file_path}"

    response = client.get(url, **host)
    assert response.status_code == 200
    assert article.title in response.content.decode()

    listing = client.get(column.relative_url(site), **host)
    assert listing.status_code == 200
    assert article.title in listing.content.decode()  # the newest article heads the list
    assert client.get("/", **host).status_code == 200

    admin = admin_client_for(client)
    column = min(
        (c for c in ColumnPage.objects.filter(url_path__startswith="/gen1/") if c.numchild),
        key=lambda c: c.numchild,
    )
    response = admin.get(f"/admin/pages/{column.pk}/")
    assert response.status_code == 200
    article = column.get_children().first()
    assert article.title in response.content.decode()
    assert admin.get(f"/admin/pages/{article.pk}/edit/").status_code == 200


def test_rerun_does_not_duplicate_and_a_larger_n_tops_up(generated: GenerateReport):
    again = generate(300, sites=2, seed=SEED, port=80)
    assert again.articles_created == 0 and again.sites_created == [] and again.columns_created == 0
    assert existing_articles() == (300, max(int(a.slug[1:]) for a in generated_articles()) + 1)

    more = generate(350, sites=2, seed=SEED, port=80)
    assert more.articles_before == 300 and more.articles_created == 50
    articles = generated_articles()
    assert len(articles) == 350 and len({a.slug for a in articles}) == 350
    assert all(len(problems) == 0 for problems in Page.find_problems())


def with_body_decoded(content: dict) -> dict:
    return {**content, "body": json.loads(content["body"])}


def test_generated_pages_have_their_revision_like_hand_made_ones(admin_client, generated: GenerateReport):
    articles = generated_articles()
    assert all(a.latest_revision_id and a.live_revision_id == a.latest_revision_id for a in articles)
    article = articles[-1]
    revision = article.latest_revision
    assert (revision.created_at, revision.object_str) == (article.pub_date, article.title)
    assert revision.as_object().body == article.body
    expected = {**article.serializable_data(), "latest_revision": None, "live_revision": None}
    # The body is a JSON string inside the revision; PostgreSQL's jsonb reorders the keys of the loaded
    # page's blocks, so the two strings are compared as the data they encode.
    assert with_body_decoded(revision.content) == with_body_decoded(
        json.loads(json.dumps(expected, cls=DjangoJSONEncoder))
    )
    # A hand-made page's first revision records the same fields (its pointers were still empty).
    hand_made = ArticlePage.objects.filter(url_path__startswith="/kjt/").first()
    assert set(hand_made.revisions.order_by("pk").first().content) == set(revision.content)
    assert admin_client.get(f"/admin/pages/{article.pk}/history/").status_code == 200
    assert admin_client.get(f"/admin/pages/{article.pk}/revisions/{revision.pk}/view/").status_code == 200
