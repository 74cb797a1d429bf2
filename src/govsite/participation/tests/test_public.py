"""The public side: the demo pages, the three forms (period, validation, text kept, escaping, rate limit)."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from govsite.participation.models import (
    InterviewQuestion,
    InterviewStatus,
    Moderation,
    Opinion,
    SolicitationPage,
    SurveyPage,
    SurveyResponse,
)
from govsite.participation.surveys import summarise
from govsite.testing import assert_captcha_guards

from .conftest import HOST, column, period, publish

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script>\'; DROP TABLE participation;--'


def get(client, path, host=HOST):
    return client.get(path, HTTP_HOST=host)


def post(client, path, data, host=HOST):
    return client.post(path, data, HTTP_HOST=host)


def test_demo_solicitation_shows_its_period_drafts_and_adoption(client, kjt_site):
    page = SolicitationPage.objects.descendant_of(kjt_site.root_page).get(slug="kjcgzh-zqyj")
    html = get(client, page.url).content.decode()
    assert "已结束" in html and "征集已结束，不再接收意见" in html
    assert "征求意见稿全文" in html
    assert "意见采纳情况" in html and "收到意见</dt><dd>4 条" in html and "不低于 70%" in html
    assert page.form_path not in html  # no form link once closed


def test_demo_survey_publishes_counts_and_percentages_but_no_free_text(client, kjt_site):
    page = SurveyPage.objects.descendant_of(kjt_site.root_page).get(slug="kjfw-dc")
    html = get(client, page.url).content.decode()
    assert "调查结果" in html and "<svg" in html and "<script" not in html.split("<main")[-1]
    # 5 answered the single choice; 3 chose 了解一些 → 60.0%
    assert '<th scope="row">了解一些</th>\n      <td>3</td>' in html and "60.0%" in html
    assert "希望增加政策解读视频" not in html  # free text is for handlers only


def test_demo_interview_shows_guests_transcript_and_approved_questions_only(client, kjt_site):
    page = column(kjt_site, "zxft").get_children().get(slug="kjcgzh-ft").specific
    html = get(client, page.url).content.decode()
    assert "张明（自治区科学技术厅副厅长）" in html and "文字实录" in html and "不低于 70%" in html
    assert "赵*：</strong>高校教师离岗创业" in html and "网友：</strong>成果转化收益" in html
    assert "广告内容" not in html and "已结束" in html


def test_column_lists_the_participation_pages(client, kjt_site):
    html = get(client, column(kjt_site, "zjdc").url).content.decode()
    assert "科技服务需求网上调查" in html and "公开征求意见的公告" in html


def test_opinion_form_errors_next_to_field_and_typed_text_kept(client, open_solicitation):
    response = post(client, open_solicitation.form_path, {"name": "张三丰", "content": "   "})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_content_error"' in html and "请填写意见内容。" in html
    assert 'value="张三丰"' in html
    assert not Opinion.objects.filter(page=open_solicitation).exists()


def test_opinion_is_stored_as_text_and_escaped_in_admin(client, admin_client, open_solicitation):
    response = post(
        client, open_solicitation.form_path, {"content": HOSTILE + "\x00\x1b", "name": "<b>李四</b>"}
    )
    assert response.status_code == 302 and response["Location"] == f"{open_solicitation.form_path}done/"
    opinion = Opinion.objects.get(page=open_solicitation)
    assert opinion.content == HOSTILE and opinion.site.hostname == HOST
    assert "您的意见已收到" in get(client, response["Location"]).content.decode()
    html = admin_client.get(f"/admin/participation/opinion/{opinion.pk}/").content.decode()
    assert "&lt;script&gt;alert" in html and '<script>alert("x")' not in html


def test_elder_version_form_posts_to_its_own_address(client, open_solicitation):
    html = get(client, f"/elder{open_solicitation.form_path}").content.decode()
    assert f'action="/elder{open_solicitation.form_path}"' in html
    response = post(client, f"/elder{open_solicitation.form_path}", {"content": "长辈版意见"})
    assert response["Location"] == f"/elder{open_solicitation.form_path}done/"


@pytest.mark.parametrize("start, end, message", [(2, 5, "征集尚未开始"), (-5, -1, "征集已结束")])
def test_closed_or_upcoming_solicitation_refuses_and_keeps_text(client, kjt_site, start, end, message):
    page = publish(column(kjt_site, "zjdc"), SolicitationPage(title="期外", slug="qw", **period(start, end)))
    assert message in get(client, page.form_path).content.decode()
    response = post(client, page.form_path, {"content": "我的意见原文"})
    assert response.status_code == 409
    html = response.content.decode()
    assert message in html and "我的意见原文" in html
    assert not Opinion.objects.filter(page=page).exists()


def test_form_of_another_site_or_unpublished_page_is_404(client, open_solicitation):
    assert get(client, open_solicitation.form_path, host="jyt.localhost").status_code == 404
    open_solicitation.unpublish()
    assert get(client, open_solicitation.form_path).status_code == 404
    assert get(client, "/gzcy/xx/1/done/").status_code == 404


@override_settings(GOVSITE_PARTICIPATION_SUBMIT_LIMIT=2)
def test_submissions_are_rate_limited_per_client(client, open_solicitation):
    for _ in range(2):
        assert post(client, open_solicitation.form_path, {"content": "意见"}).status_code == 302
    response = post(client, open_solicitation.form_path, {"content": "第三条意见"})
    assert response.status_code == 429 and "第三条意见" in response.content.decode()
    assert Opinion.objects.filter(page=open_solicitation).count() == 2


def survey_field(page, index):
    return f"q_{list(page.questions)[index].id}"


def test_survey_validation_required_range_and_max_choices(client, open_survey):
    data = {survey_field(open_survey, 0): "9", survey_field(open_survey, 1): ["0", "1", "2"]}
    data[survey_field(open_survey, 2)] = "x" * 51
    response = post(client, open_survey.form_path, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "所选的选项不存在" in html and "最多只能选择 2 项" in html and "回答不能超过 50 字" in html
    response = post(client, open_survey.form_path, {})
    assert "请选择一项。" in response.content.decode() and "请至少选择一项。" in response.content.decode()
    assert not SurveyResponse.objects.filter(page=open_survey).exists()


def test_survey_response_stored_and_summarised(client, open_survey):
    for choice, choices in [("0", ["0", "1"]), ("1", ["1"]), ("1", ["3"]), ("1", ["1", "3"])]:
        data = {survey_field(open_survey, 0): choice, survey_field(open_survey, 1): choices}
        assert post(client, open_survey.form_path, data).status_code == 302
    assert SurveyResponse.objects.get(answers__s1=0).answers == {"s1": 0, "m1": [0, 1]}
    single, multiple, text = summarise(open_survey, SurveyResponse.objects.filter(page=open_survey))
    assert [(o.count, o.percent) for o in single.options] == [(1, 25.0), (3, 75.0), (0, 0.0)]
    assert [o.count for o in multiple.options] == [1, 3, 0, 2] and multiple.answered == 4
    assert text.answered == 0


def test_survey_results_hidden_until_the_period_ends(client, open_survey):
    html = get(client, open_survey.url).content.decode()
    assert "调查结果" not in html and "参与调查" in html
    open_survey.start_at = timezone.now() - dt.timedelta(days=9)
    open_survey.end_at = timezone.now() - dt.timedelta(days=1)
    open_survey.save_revision().publish()
    assert "调查结果" in get(client, open_survey.url).content.decode()


def test_interview_questions_collected_while_announced_and_moderated(client, announced_interview):
    response = post(client, announced_interview.form_path, {"name": "王五", "content": "问题一"})
    assert response.status_code == 302
    question = InterviewQuestion.objects.get(page=announced_interview)
    assert question.status == Moderation.PENDING
    assert "问题一" not in get(client, announced_interview.url).content.decode()
    question.status = Moderation.APPROVED
    question.save()
    assert "王*：</strong>问题一" in get(client, announced_interview.url).content.decode()
    announced_interview.status = InterviewStatus.LIVE
    announced_interview.save_revision().publish()
    response = post(client, announced_interview.form_path, {"content": "迟到的问题"})
    assert response.status_code == 409 and "不再征集问题" in response.content.decode()


def test_survey_form_is_accessible_markup_without_script(client, open_survey):
    html = get(client, open_survey.form_path).content.decode()
    assert 'name="csrfmiddlewaretoken"' in html and "<script" not in html.split("<main")[-1]
    assert html.count("<fieldset") == 2 and "<legend>1. 单选题" in html
    assert f'<label for="id_{survey_field(open_survey, 2)}">3. 建议</label>' in html
    assert f'aria-describedby="id_{survey_field(open_survey, 2)}_helptext"' in html
    response = post(client, open_survey.form_path, {survey_field(open_survey, 2): "保留的文字"})
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and "保留的文字" in html
    assert f'id="id_{survey_field(open_survey, 0)}_error"' in html


def test_interview_media_images_and_video_links_render(client, announced_interview):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    image = get_image_model().objects.first()
    document = get_document_model().objects.first()
    announced_interview.media = [
        ("image", {"image": image, "caption": "访谈现场"}),
        ("video", {"document": document, "caption": "访谈视频"}),
    ]
    announced_interview.save_revision().publish()
    html = get(client, announced_interview.url).content.decode()
    assert 'alt="访谈现场"' in html and "<figcaption>访谈现场</figcaption>" in html
    assert f'href="{document.url}">访谈视频（视频，' in html


@override_settings(GOVSITE_CAPTCHA=True)
@pytest.mark.parametrize("page", ["open_solicitation", "open_survey", "announced_interview"])
def test_with_the_captcha_each_form_needs_the_right_answer_and_keeps_the_text(client, request, page):
    target = request.getfixturevalue(page)
    data: dict[str, object] = {"content": "保留的文字", "name": "张三"}
    if page == "open_survey":
        data = {survey_field(target, i): value for i, value in enumerate(["0", ["0"], "保留的文字"])}
    assert_captcha_guards(lambda extra: post(client, target.form_path, extra), data, "保留的文字")
    assert ">换一题<" in get(client, target.form_path).content.decode()
