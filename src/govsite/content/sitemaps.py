"""XML sitemaps split by month, so publishing one article rewrites one small sitemap file.

/sitemap.xml is an index of /sitemaps/pages.xml (columns and information pages) and one
/sitemaps/YYYYMM.xml per month of articles.
"""

from datetime import date, datetime
from xml.sax.saxutils import escape

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.query import PageQuerySet

from .models import ArticlePage, LinkPage, listed_articles, listed_under_by_date_index
from .visibility import listed

XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def month_sitemap_path(value: date | datetime) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"/sitemaps/{value:%Y%m}.xml"


def _xml(body: str) -> HttpResponse:
    return HttpResponse(XML_HEAD + body, content_type="application/xml; charset=utf-8")


def _site(request: HttpRequest) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


def _articles(site: Site) -> PageQuerySet:
    return listed_articles().descendant_of(site.root_page)


def month_bounds(value: datetime) -> tuple[datetime, datetime]:
    local = timezone.localtime(value) if timezone.is_aware(value) else timezone.make_aware(value)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return start, end


def month_articles(article: ArticlePage) -> PageQuerySet:
    """The listed articles of the article's site published in the same month."""
    if article.pub_date is None:  # not published yet: in no month
        return listed_articles().none()
    home = article.get_ancestors().filter(depth=2).first()
    return _month_of_site(home, article.pub_date)


def _month_of_site(home: Page, month: datetime) -> PageQuerySet:
    """The listed articles below `home` published in `month`, by walking the pub_date index over
    the month (a month is a small share of a site: reading the site's subtree costs 60 ms at
    100,000 articles, the month's index range a few)."""
    start, end = month_bounds(month)
    articles = listed_under_by_date_index(home.path, gt=home.depth)
    return articles.filter(pub_date__gte=start, pub_date__lt=end)


def sitemap_index(request: HttpRequest) -> HttpResponse:
    """One entry per month that has articles. No lastmod: the index changes only with its months."""
    site = _site(request)
    months = _articles(site).datetimes("pub_date", "month")  # in the site's time zone
    entries = [f"<sitemap><loc>{escape(site.root_url)}/sitemaps/pages.xml</loc></sitemap>"]
    entries += [
        f"<sitemap><loc>{escape(site.root_url + month_sitemap_path(m))}</loc></sitemap>" for m in months
    ]
    return _xml(f"<sitemapindex {NS}>{''.join(entries)}</sitemapindex>\n")


def _url_entry(site: Site, page: Page, lastmod: datetime | None) -> str:
    parts = page.get_url_parts()
    if not parts:
        return ""
    when = f"<lastmod>{timezone.localtime(lastmod):%Y-%m-%d}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(site.root_url + parts[2])}</loc>{when}</url>"


def sitemap_section(request: HttpRequest, name: str) -> HttpResponse:
    site = _site(request)
    if name == "pages":
        pages = (
            listed(site.root_page.get_descendants(inclusive=True)).not_type(ArticlePage, LinkPage).specific()
        )
    else:
        try:
            month = datetime.strptime(name, "%Y%m")
        except ValueError as exc:
            raise Http404 from exc
        # An article's address is its column's plus its file path: in a publishing run Wagtail's
        # routing is asked once per column (ArticlePage.get_url_parts), not once per article.
        pages = _month_of_site(site.root_page, month).order_by("pub_date", "pk").defer_streamfields()
        if not pages.exists():
            raise Http404
    entries = "".join(_url_entry(site, page, page.last_published_at) for page in pages)
    return _xml(f"<urlset {NS}>{entries}</urlset>\n")
