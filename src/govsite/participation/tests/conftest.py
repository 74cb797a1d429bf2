import datetime as dt

import pytest
from django.utils import timezone

from govsite.content.models import ColumnPage
from govsite.participation.models import InterviewPage, SolicitationPage, SurveyPage

HOST = "kjt.localhost"


@pytest.fixture(autouse=True)
def _fresh_rate_limits(fresh_rate_limits: None) -> None:
    """Every test here starts with empty budgets (conftest.py at the root)."""


def column(site, slug):
    return ColumnPage.objects.descendant_of(site.root_page).get(slug=slug)


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def period(start_days, end_days):
    now = timezone.now()
    return {"start_at": now + dt.timedelta(days=start_days), "end_at": now + dt.timedelta(days=end_days)}


@pytest.fixture
def open_solicitation(kjt_site):
    page = SolicitationPage(title="测试征集", slug="cszj", body="<p>说明</p>", **period(-1, 5))
    return publish(column(kjt_site, "zjdc"), page)


QUESTIONS = [
    ("single_choice", {"question": "单选题", "required": True, "options": ["甲", "乙", "丙"]}, "s1"),
    (
        "multiple_choice",
        {"question": "多选题", "required": True, "options": ["A", "B", "C", "D"], "max_choices": 2},
        "m1",
    ),
    ("text", {"question": "建议", "required": False, "max_length": 50}, "t1"),
]


@pytest.fixture
def open_survey(kjt_site):
    questions = [{"type": kind, "value": value, "id": id_} for kind, value, id_ in QUESTIONS]
    page = SurveyPage(
        title="测试调查", slug="csdc", questions=questions, publish_results=True, **period(-1, 5)
    )
    return publish(column(kjt_site, "zjdc"), page)


@pytest.fixture
def announced_interview(kjt_site):
    page = InterviewPage(
        title="测试访谈",
        slug="csft",
        scheduled_at=timezone.now() + dt.timedelta(days=3),
        guests=[("guest", {"name": "张明", "title": "副厅长"})],
    )
    return publish(column(kjt_site, "zxft"), page)
