"""网站体检 in the admin: a site's dashboard (verdict, lights, trends, worklist), 立即体检, the report
downloads, and the platform office's ranking of all sites. Every view reads sites through
`access`, so a run or a site of another department is not found."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from wagtail.models import Site

from govsite.core.background import enqueue_once
from govsite.core.documents import render_docx, render_pdf

from . import dashboard
from .access import run_for, sees_cluster, site_for, visible_sites
from .labels import verdict
from .models import InspectionRun
from .report import build_report, file_name
from .tasks import inspect_site_task

FINDINGS_PER_PAGE = 100
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def index(request: HttpRequest) -> HttpResponse:
    """The platform office goes to the ranking, a department with one site to its dashboard."""
    if sees_cluster(request.user):
        return redirect("govsite_inspection:cluster")
    sites = list(visible_sites(request.user))
    if not sites:
        raise PermissionDenied
    if len(sites) == 1:
        return redirect("govsite_inspection:site", sites[0].pk)
    return _ranking(request, sites, cluster=False)


def cluster(request: HttpRequest) -> HttpResponse:
    """All sites ranked, with each rule's findings: the platform office's view."""
    if not sees_cluster(request.user):
        raise PermissionDenied
    return _ranking(request, list(visible_sites(request.user)), cluster=True)


def _ranking(request: HttpRequest, sites: list[Site], cluster: bool) -> HttpResponse:
    rows, codes = dashboard.ranking(sites)
    return TemplateResponse(
        request,
        "inspection/ranking.html",
        {"rows": rows, "codes": codes, "cluster": cluster, "rule_titles": dashboard.rule_titles(codes)},
    )


def site_dashboard(request: HttpRequest, site_id: int) -> HttpResponse:
    site = site_for(request.user, site_id)
    return _dashboard(request, site, dashboard.latest_run(site))


def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_for(request.user, run_id)
    if run.finished_at is None:
        raise Http404("该次体检尚未完成。")
    return _dashboard(request, run.site, run)


def _dashboard(request: HttpRequest, site: Site, run: InspectionRun | None) -> HttpResponse:
    context: dict[str, object] = {
        "site": site,
        "run": run,
        "running": dashboard.running(site),
        "cluster": sees_cluster(request.user),
    }
    if run is not None:
        page = Paginator(dashboard.ordered_findings(run), FINDINGS_PER_PAGE).get_page(request.GET.get("p"))
        since = dashboard.first_seen(run, [finding.key for finding in page])
        context.update(
            verdict=verdict(run),
            rules=dashboard.rule_rows(run),
            findings=[(finding, since[finding.key]) for finding in page],
            findings_page=page,
            trends=dashboard.trends(site),
        )
    return TemplateResponse(request, "inspection/site.html", context)


@require_POST
def run_now(request: HttpRequest, site_id: int) -> HttpResponse:
    """立即体检: queue the site's inspection (once: a second click while it waits adds nothing)."""
    site = site_for(request.user, site_id)
    if enqueue_once(inspect_site_task, site.pk, "manual") is None:
        messages.info(request, "该网站的体检已在排队，完成后结果会显示在这里。")
    else:
        messages.success(request, "已开始体检，完成后刷新本页即可看到结果。")
    return redirect("govsite_inspection:site", site.pk)


def report(request: HttpRequest, run_id: int, extension: str) -> HttpResponse:
    """The run as a DOCX or PDF document."""
    run = run_for(request.user, run_id)
    if run.finished_at is None:
        raise Http404("该次体检尚未完成。")
    document = build_report(run)
    if extension == "docx":
        response = HttpResponse(render_docx(document), content_type=DOCX)
    else:
        response = HttpResponse(render_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, file_name(run, extension))
    return response


app_name = "govsite_inspection"
urlpatterns = [
    path("", index, name="index"),
    path("cluster/", cluster, name="cluster"),
    path("sites/<int:site_id>/", site_dashboard, name="site"),
    path("sites/<int:site_id>/run/", run_now, name="run_now"),
    path("runs/<int:run_id>/", run_detail, name="run"),
    path("runs/<int:run_id>/report.docx", report, {"extension": "docx"}, name="report_docx"),
    path("runs/<int:run_id>/report.pdf", report, {"extension": "pdf"}, name="report_pdf"),
]
