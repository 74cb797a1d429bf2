import re

from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.views import serve as wagtail_serve

from govsite.citizens import urls as citizens_urls
from govsite.content.sitemaps import sitemap_index, sitemap_section
from govsite.content.views import html_sitemap, private_document_file, serve_document
from govsite.core.views import media_file, not_found_page, robots_txt
from govsite.publishing.server import PRIVATE_MEDIA_PREFIXES
from govsite.sites import admin_scope

handler404 = "govsite.core.views.page_not_found"
handler500 = "govsite.core.views.server_error"

urlpatterns = [
    # Department-scoped versions of a few Wagtail admin views (chooser, page-types report) come first.
    path("admin/", include(admin_scope.admin_urlpatterns())),
    # Django's admin calls its add forms …/add/, Wagtail's …/new/: both addresses work.
    path("admin/users/add/", RedirectView.as_view(pattern_name="wagtailusers_users:add", query_string=True)),
    path(
        "admin/groups/add/", RedirectView.as_view(pattern_name="wagtailusers_groups:add", query_string=True)
    ),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's serve view, with the download named as uploaded (content.attachments.download_name)
    path("documents/<int:document_id>/<str:document_filename>", serve_document, name="govsite_document"),
    path("documents/", include(wagtaildocs_urls)),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_index, name="sitemap_xml"),
    re_path(r"^sitemaps/(?P<name>pages|\d{6})\.xml$", sitemap_section, name="sitemap_section"),
    path("sitemap/", html_sitemap, name="html_sitemap"),
    path("search/", include("govsite.search.urls")),
    # 依申请公开: the application form and the lookup of each department site
    path("yisqgk/", include("govsite.disclosure.urls")),
    # 征集调查 and 在线访谈: the public forms (the pages themselves are published statically)
    path("gzcy/", include("govsite.participation.urls")),
    # 我为政府网站找错 and the public's accounts (登录/注册, 我的账号)
    path("zhaocuo/", include(citizens_urls.report_urlpatterns)),
    path("zhanghu/", include(citizens_urls.account_urlpatterns)),
    # 留言: the message form, the lookup and the rating of each site
    path("liuyan/", include("govsite.interaction.urls")),
    path("404.html", not_found_page, name="not_found_page"),
]

# Documents are served only through /documents/<id>/<name>, which keeps drafts' attachments
# private (govsite.workflow); their files under /media/documents/ are never served directly, nor
# are original images (pages use renditions). The same prefixes as `govsite serve` and nginx.
urlpatterns += [
    re_path(rf"^media/{re.escape(prefix)}", private_document_file) for prefix in PRIVATE_MEDIA_PREFIXES
]

if settings.GOVSITE_SERVE_MEDIA:
    # The embedded server serves uploads itself; in production nginx serves MEDIA_ROOT.
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", media_file, {"document_root": settings.MEDIA_ROOT}))

urlpatterns += [
    # Page addresses that name a file (articles, list pages, feeds): …/202103/t20210331_123.html, and
    # the downloads a page makes itself (the 年报's …/2025/zfxxgknb-2025.docx and .pdf)
    re_path(r"^((?:[\w\-]+/)*[\w\-]+\.(?:html|xml|docx|pdf))$", wagtail_serve, name="wagtail_serve_file"),
    path("", include(wagtail_urls)),
]
