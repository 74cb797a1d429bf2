"""`govsite demo` builds the seed's platform, and running it again changes nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Site

from govsite.content.body import body_html, body_text
from govsite.content.models import ArticlePage, ColumnPage
from govsite.content.tests.helpers import seed_article
from govsite.demo.builder import build_demo
from govsite.sites.models import SiteProfile

pytestmark = pytest.mark.django_db


def test_second_run_changes_nothing_and_keeps_editors_work():
    article = seed_article()
    article.title = "编辑修改后的标题"
    article.save_revision().publish()
    profile = SiteProfile.for_site(Site.objects.get(hostname="kjt.localhost"))
    profile.phone = "0471-0000000"
    profile.save()
    pages_before = ArticlePage.objects.count()

    report = build_demo(port=80)

    assert report.created == []
    assert ArticlePage.objects.count() == pages_before
    assert ArticlePage.objects.get(pk=article.pk).title == "编辑修改后的标题"
    assert SiteProfile.for_site(Site.objects.get(hostname="kjt.localhost")).phone == "0471-0000000"


def test_demo_command_prints_sites_and_login(capsys):
    call_command("demo", "--port", "80")
    out = capsys.readouterr().out
    assert "http://kjt.localhost/" in out and "http://jyt.localhost/" in out
    assert "admin /" in out
    # the reviewer accounts of 三审, with their step and password
    assert "kjt-reviewer1（初审）、kjt-reviewer2（复审）、kjt-reviewer3（终审） / " in out


def test_seed_article_is_complete():
    article = seed_article()
    assert article.source == "科技日报"
    assert f"{timezone.localtime(article.pub_date):%Y-%m-%d %H:%M}" == "2021-03-31 00:00"
    assert body_html(article.body).count("<p>") == 24
    assert "罗家立" in body_text(article.body) and "彭崧" in body_text(article.body)


def test_default_site_is_the_st_department():
    default = Site.objects.get(is_default_site=True)
    assert default.hostname == "kjt.localhost"
    assert Site.objects.count() == 2  # Wagtail's placeholder site is gone


def test_no_demo_column_is_empty():
    for column in ColumnPage.objects.live():
        has_content = column.articles().exists() or column.get_children().live().exists()
        assert has_content, column.title


def test_sample_content_says_it_is_sample():
    seed_pk = seed_article().pk
    for article in ArticlePage.objects.exclude(pk=seed_pk):
        assert "示例" in body_text(article.body), article.title
