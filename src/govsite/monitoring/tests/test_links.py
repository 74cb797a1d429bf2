"""The link crawl and the rules L1 (broken internal links) and L2 (outbound links): on a freshly
published site (no false alarm) and on the same site with seeded breakage (nothing missed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree
from wagtail.models import Site

from govsite.inspection.indicators import links
from govsite.inspection.indicators.links import check_internal_links, check_outbound_links, check_urls
from govsite.inspection.rules import RULES, Status
from govsite.monitoring import crawl as crawl_module
from govsite.monitoring.crawl import crawl_site, page_address, raw_links
from govsite.monitoring.models import ExternalLink, LinkCrawl, LinkResult
from govsite.publishing.jobs import rebuild_site
from govsite.publishing.layout import GONE_SUFFIX, public_root, site_dir, status_file

PAGE = b"""<!doctype html><html><head><link rel="stylesheet" href="/static/a.css">
<script src="app.js"></script><script>var s = '<a href="/in-script.html">';</script></head>
<body><!-- <a href="/commented.html">old</a> -->
<a href="/kjdt/">x</a><a href="t2.html#top">y</a><a href="#top">z</a><a href="mailto:a@b.cn">m</a>
<a href="javascript:void(0)">j</a><img src="../img/logo.png"><a href="https://www.gov.cn/x?a=1#f">gov</a>
<a href="//jyt.localhost/y.html">other site</a><iframe src="/frame.html"></iframe></body></html>"""


def lxml_links(html: bytes) -> list[str]:
    """The same targets read by lxml's full HTML parser: what the crawl's tokenizer must agree with."""
    root = etree.fromstring(html, etree.HTMLParser(remove_comments=True))
    found = (e.get(crawl_module.LINK_ATTRIBUTES[e.tag]) for e in root.iter(*crawl_module.LINK_ATTRIBUTES))
    return sorted(value.strip() for value in found if value and value.strip())


def test_links_are_read_from_markup_only():
    found = set(raw_links(PAGE))
    assert "/in-script.html" not in found and "/commented.html" not in found
    assert {"/static/a.css", "app.js", "/kjdt/", "t2.html#top", "../img/logo.png", "/frame.html"} <= found
    assert sorted(raw_links(PAGE)) == lxml_links(PAGE)
    assert list(raw_links(b"<a title=\"x>y\" href='/q?a=1&amp;b=2'>")) == ["/q?a=1&b=2"]


def test_page_addresses():
    assert [page_address(rel) for rel in ("index.html", "kjdt/index.html", "kjdt/t1.html")] == [
        "/",
        "/kjdt/",
        "/kjdt/t1.html",
    ]


def test_the_crawl_sorts_targets_and_resolves_each_once(tmp_path: Path):
    (tmp_path / "kjdt").mkdir()
    (tmp_path / "kjdt" / "t1.html").write_bytes(PAGE)
    (tmp_path / "kjdt" / "t3.html").write_bytes(PAGE)
    (tmp_path / ".hidden.html.410").write_bytes(PAGE)  # status files are not pages
    asked: list[tuple[str, str]] = []

    def resolve(host: str, path: str) -> str | None:
        asked.append((host, path))
        return "页面不存在（404）" if path in ("/kjdt/t2.html", "/img/logo.png", "/y.html") else None

    result = crawl_site(tmp_path, "kjt.localhost", {"jyt.localhost"}, resolve)
    assert result.files == 2
    assert len(asked) == len(set(asked))  # each target resolved once for both pages
    assert ("kjt.localhost", "/kjdt/app.js") in asked and ("jyt.localhost", "/y.html") in asked
    assert sorted(result.broken) == ["/img/logo.png", "/kjdt/t2.html", "http://jyt.localhost/y.html"]
    assert result.broken["/kjdt/t2.html"].pages == ["/kjdt/t1.html", "/kjdt/t3.html"]
    assert list(result.external) == ["https://www.gov.cn/x?a=1"]


def test_workers_find_what_one_process_finds(tmp_path: Path, monkeypatch):
    for i in range(40):
        (tmp_path / f"p{i}.html").write_bytes(PAGE.replace(b"t2.html", f"t{i}.html".encode()))

    def resolve(host: str, path: str) -> str | None:
        return None if path.endswith(("0.html", "5.html")) else "页面不存在（404）"

    one = crawl_site(tmp_path, "kjt.localhost", set(), resolve, workers=1)
    monkeypatch.setattr(crawl_module, "PARALLEL_FROM", 10)
    two = crawl_site(tmp_path, "kjt.localhost", set(), resolve, workers=2)
    assert one.files == two.files == 40
    assert {url: (t.problem, t.count, t.pages) for url, t in one.broken.items()} == {
        url: (t.problem, t.count, t.pages) for url, t in two.broken.items()
    }
    assert one.external.keys() == two.external.keys()


def _break(root: Path, rel: str, extra: str) -> None:
    page = root / rel
    page.write_text(page.read_text().replace("</body>", extra + "</body>"))
    page.with_name(page.name + ".gz").unlink(missing_ok=True)


@pytest.mark.django_db
def test_l1_on_a_published_site_and_on_seeded_breakage(kjt_site: Site):
    shutil.rmtree(public_root(), ignore_errors=True)
    report = rebuild_site(kjt_site)
    assert not report.failed
    rebuild_site(Site.objects.get(hostname="jyt.localhost"))  # the 部门网站导航 links to the other site

    root = site_dir(kjt_site.hostname)
    pages = sorted(root.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:  # the tokenizer reads every published page as lxml does
        assert sorted(raw_links(page.read_bytes())) == lxml_links(page.read_bytes()), page

    clean = check_internal_links(kjt_site)
    assert (clean.status, clean.findings) == (Status.PASS, []), [f.evidence for f in clean.findings[:5]]
    crawl = LinkCrawl.objects.filter(site=kjt_site).latest("started_at")
    assert crawl.files > 50 and crawl.broken_links == 0

    articles = sorted(p.relative_to(root).as_posix() for p in root.glob("kjdt/*/*/t*.html"))
    lost, withdrawn = articles[0], articles[1]
    (root / lost).unlink()  # a file lost from the server
    (root / withdrawn).rename(root / status_file(withdrawn, GONE_SUFFIX))  # answered 410
    _break(
        root,
        "index.html",
        '<img src="/media/images/missing.png"><link rel="stylesheet" href="/static/govsite/none.css">'
        '<a href="/documents/999999/gone.pdf">附件</a><a href="/kjdt/no-such-column/">栏目</a>'
        '<a href="/search/?q=1">搜索</a><a href="https://www.example.org/seeded">外部网站</a>',
    )
    broken = check_internal_links(kjt_site)
    assert broken.status == Status.FAIL
    found = {f.url: f.message for f in broken.findings}
    assert found == {
        "/" + lost: "站内链接不可用：页面不存在（404）",
        "/" + withdrawn: "站内链接不可用：页面已撤稿（410）",
        "/media/images/missing.png": "站内链接不可用：图片或文件不存在",
        "/static/govsite/none.css": "站内链接不可用：静态文件不存在",
        "/documents/999999/gone.pdf": "站内链接不可用：附件不存在（已删除）",
        "/kjdt/no-such-column/": "站内链接不可用：页面不存在（404）",
    }
    seeded = next(f for f in broken.findings if f.url == "/documents/999999/gone.pdf")
    assert seeded.evidence.endswith("出现在 /") and seeded.key == "L1:/documents/999999/gone.pdf"
    # findings are stable: the same data gives the same findings
    assert check_internal_links(kjt_site).findings == broken.findings
    # the outbound link is recorded for the background check
    assert ExternalLink.objects.get(site=kjt_site, url="https://www.example.org/seeded").pages == ["/"]


@pytest.mark.django_db
def test_l1_says_nothing_about_a_site_never_published(kjt_site: Site):
    shutil.rmtree(public_root(), ignore_errors=True)
    assert check_internal_links(kjt_site).status == Status.UNKNOWN


def _link(site: Site, url: str, result: str = "", status: int | None = None, failures: int = 0) -> None:
    now = timezone.now()
    ExternalLink.objects.create(
        site=site, url=url, host="h", pages=["/a.html"], page_count=1, first_seen=now, last_seen=now,
        last_checked=now if result else None, result=result, status=status, failures=failures,
        final_url="http://parked.example.com/" if result == LinkResult.DOMAIN_CHANGED else url,
        detail="parked.example.com" if result == LinkResult.DOMAIN_CHANGED else "",
    )  # fmt: skip


@pytest.mark.django_db
def test_l2_unknown_until_checked_then_each_problem_a_finding(kjt_site: Site):
    ExternalLink.objects.all().delete()
    LinkCrawl.objects.all().delete()
    assert check_outbound_links(kjt_site).status == Status.UNKNOWN  # never crawled
    _link(kjt_site, "http://ok.example.com/")
    assert check_outbound_links(kjt_site).status == Status.UNKNOWN  # found, not yet checked

    ExternalLink.objects.update(last_checked=timezone.now(), result=LinkResult.OK, status=200)
    assert check_outbound_links(kjt_site).status == Status.PASS
    assert check_outbound_links(kjt_site).findings == []

    _link(kjt_site, "http://moved.example.com/", LinkResult.DOMAIN_CHANGED, 200)
    _link(kjt_site, "http://slow.example.com/", LinkResult.TIMEOUT, None, failures=1)
    outcome = check_outbound_links(kjt_site)
    assert outcome.status == Status.WARN  # to be looked at, not yet counted as broken
    assert {f.url for f in outcome.findings} == {"http://moved.example.com/", "http://slow.example.com/"}
    moved = next(f for f in outcome.findings if f.url == "http://moved.example.com/")
    assert "parked.example.com" in moved.message and "http://parked.example.com/" in moved.evidence

    _link(kjt_site, "http://gone.example.com/", LinkResult.HTTP_ERROR, 404)
    _link(kjt_site, "http://nxdomain.example.com/", LinkResult.DNS)
    ExternalLink.objects.filter(url="http://slow.example.com/").update(failures=2)
    outcome = check_outbound_links(kjt_site)
    assert outcome.status == Status.FAIL
    assert len(outcome.findings) == 4 and "不可用 3 个" in outcome.measured
    gone = next(f for f in outcome.findings if f.url == "http://gone.example.com/")
    assert "HTTP 404" in gone.evidence and "/a.html" in gone.evidence


@pytest.mark.django_db
def test_check_urls_for_other_rules(kjt_site: Site, django_capture_on_commit_callbacks):
    shutil.rmtree(public_root(), ignore_errors=True)
    rebuild_site(kjt_site)
    ExternalLink.objects.all().delete()
    with django_capture_on_commit_callbacks():
        answers = check_urls(
            kjt_site,
            ["/", "http://kjt.localhost/nothing-here.html", "https://zwfw.example.gov.cn/apply", "ftp://x"],
            source="services",
            page_url="/zwfw/1.html",
        )
    assert answers["/"].ok is True and answers["/"].internal
    assert answers["http://kjt.localhost/nothing-here.html"].ok is False
    assert answers["http://kjt.localhost/nothing-here.html"].problem == "页面不存在（404）"
    assert answers["https://zwfw.example.gov.cn/apply"].ok is None  # not checked yet: registered
    assert answers["ftp://x"].ok is False
    assert ExternalLink.objects.filter(source="services", pages=["/zwfw/1.html"]).count() == 1


def test_rules_are_registered():
    assert RULES["L1"].check is links.check_internal_links
    assert RULES["L2"].check is links.check_outbound_links
