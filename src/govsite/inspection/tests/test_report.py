"""The filed report: the DOCX and the PDF name the site, the date, the verdict, each rule and each problem."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from docx import Document

from govsite.testing import demo_user

from .helpers import SCORED_CODE, VETO_CODE, registered_test_rules, stored_run

pytestmark = pytest.mark.django_db


def test_docx_report_holds_verdict_rules_and_findings(client, kjt_site):
    with registered_test_rules():
        run = stored_run(kjt_site, vetoed=True, score=None, findings={VETO_CODE: ["v1"], SCORED_CODE: []})
        client.force_login(demo_user("kjt-siteadmin"))
        response = client.get(f"/admin/inspection/runs/{run.pk}/report.docx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "网站体检报告" in text and timezone.localtime(run.started_at).strftime("%Y-%m-%d") in text
    assert "体检结论：不合格（单项否决）" in text and "网站地址：http://kjt.localhost" in text
    rules, problems = document.tables
    assert [c.text for c in rules.rows[1].cells] == ["TV1 测试否决项", "单项否决", "✗ 不合格", "1 个", "1"]
    assert [c.text for c in rules.rows[2].cells][:3] == ["TS1 测试扣分项", "扣分指标", "✓ 合格"]
    assert [c.text for c in problems.rows[1].cells] == [
        "1",
        "TV1 测试否决项",
        "问题v1",
        "依据v1",
        "http://kjt.localhost/v1.html",
        "整改v1",
    ]


def test_pdf_report_is_a_pdf(client, kjt_site):
    run = stored_run(kjt_site, findings={})
    client.force_login(demo_user("kjt-editor"))
    response = client.get(f"/admin/inspection/runs/{run.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_unfinished_run_has_no_report(client, kjt_site):
    run = stored_run(kjt_site, finished=False)
    client.force_login(demo_user("kjt-editor"))
    assert client.get(f"/admin/inspection/runs/{run.pk}/report.docx").status_code == 404
