"""The 网站体检 dashboard: a department sees its own sites' runs only (by list and by id), the
platform office ranks every site, lights carry words, problems say since when they exist."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from wagtail.models import Site

from govsite.inspection.dashboard import first_seen, ranking
from govsite.inspection.models import InspectionRun
from govsite.testing import demo_user

from .helpers import SCORED_CODE, VETO_CODE, registered_test_rules, stored_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rules():
    with registered_test_rules():
        yield


def test_site_dashboard_shows_verdict_lights_veto_first_and_worklist(client, kjt_site):
    stored_run(kjt_site, 2, findings={VETO_CODE: [], SCORED_CODE: ["old"]})
    run = stored_run(
        kjt_site, 0, vetoed=True, score=None, findings={SCORED_CODE: ["old", "new"], VETO_CODE: ["v"]}
    )
    client.force_login(demo_user("kjt-editor"))
    html = client.get(f"/admin/inspection/sites/{kjt_site.pk}/").content.decode()
    assert "不合格（单项否决）" in html
    rules = html[html.index('id="inspection-rules"') : html.index('id="inspection-trends-heading"')]
    assert rules.index("TV1 测试否决项") < rules.index("TS1 测试扣分项")
    assert "✗</span> 不合格" in rules  # a symbol and a word, not colour alone
    assert 'role="img"' in html and "得分趋势" in html and "<polyline" in html
    worklist = html[html.index('id="inspection-findings"') :]
    assert worklist.index("问题v") < worklist.index("问题new")  # the veto item's problem first
    assert f"/admin/pages/{kjt_site.root_page_id}/edit/" in worklist
    since = first_seen(run, ["old", "new", "v"])
    assert since["new"] == since["v"] == run.started_at
    assert since["old"] < run.started_at  # found by both runs: exists since the first


def test_since_restarts_after_a_run_without_the_problem(kjt_site):
    stored_run(kjt_site, 3, findings={SCORED_CODE: ["k"]})
    stored_run(kjt_site, 2, findings={SCORED_CODE: []})
    fixed_again = stored_run(kjt_site, 1, findings={SCORED_CODE: ["k"]})
    latest = stored_run(kjt_site, 0, findings={SCORED_CODE: ["k"]})
    assert first_seen(latest, ["k"]) == {"k": fixed_again.started_at}


def test_other_departments_runs_and_sites_are_not_found(client, kjt_site, jyt_site):
    theirs = stored_run(jyt_site, findings={SCORED_CODE: ["x"]})
    client.force_login(demo_user("kjt-editor"))
    assert client.get(f"/admin/inspection/runs/{theirs.pk}/").status_code == 404
    assert client.get(f"/admin/inspection/runs/{theirs.pk}/report.docx").status_code == 404
    assert client.get(f"/admin/inspection/runs/{theirs.pk}/report.pdf").status_code == 404
    assert client.get(f"/admin/inspection/sites/{jyt_site.pk}/").status_code == 404
    assert client.post(f"/admin/inspection/sites/{jyt_site.pk}/run/").status_code == 404
    assert client.get("/admin/inspection/cluster/").url == "/admin/"  # Wagtail's answer to PermissionDenied
    # Their own site: the index goes straight to it.
    assert client.get("/admin/inspection/").url == f"/admin/inspection/sites/{kjt_site.pk}/"


def test_user_without_sites_is_refused(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", "n@example.com", "x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get("/admin/inspection/").url == "/admin/"


def test_cluster_ranks_vetoed_first_then_by_score(client, kjt_site, jyt_site, django_user_model):
    stored_run(kjt_site, score=55, findings={SCORED_CODE: ["a", "b"]})
    stored_run(jyt_site, vetoed=True, score=None, findings={VETO_CODE: ["v"]})
    good, never = (
        Site.objects.create(hostname=f"{name}.localhost", root_page=kjt_site.root_page, site_name=name)
        for name in ("good", "never")
    )
    stored_run(good, score=95)
    rows, codes = ranking(Site.objects.all())
    assert [row.site for row in rows] == [jyt_site, kjt_site, good, never]
    assert rows[-1].run is None
    assert codes == [VETO_CODE, SCORED_CODE]
    office = django_user_model.objects.create_user("office", "o@example.com", "x")
    office.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_cluster")
    )
    client.force_login(office)
    assert client.get("/admin/inspection/").url == "/admin/inspection/cluster/"
    html = client.get("/admin/inspection/cluster/").content.decode()
    assert "不合格（单项否决）" in html and "2 个问题" in html and "尚未体检" in html
    assert client.get(f"/admin/inspection/sites/{jyt_site.pk}/").status_code == 200


def test_run_now_inspects_the_site_and_refuses_a_get(client, kjt_site):
    """The tests' task backend runs the queued task at once: the click leaves a stored manual run."""
    client.force_login(demo_user("kjt-editor"))
    response = client.post(f"/admin/inspection/sites/{kjt_site.pk}/run/", follow=True)
    assert "已开始体检" in response.content.decode()
    run = InspectionRun.objects.get(site=kjt_site)
    assert run.trigger == "manual" and run.finished_at is not None and run.results.exists()
    assert client.get(f"/admin/inspection/sites/{kjt_site.pk}/run/").status_code == 405
