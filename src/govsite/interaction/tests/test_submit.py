"""The public form: fields, errors next to them, typed text kept, hostile input stored as text, lookup."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from govsite.core import captcha
from govsite.interaction.models import Message
from govsite.testing import solve_captcha

from .helpers import HOST, form_data, new_message

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def post(client, data, path="/liuyan/"):
    return client.post(path, data, HTTP_HOST=HOST)


def test_form_page_lists_the_channels_with_their_periods(client, kjt_site):
    html = client.get("/liuyan/", HTTP_HOST=HOST).content.decode()
    assert (
        "<legend>留言类型" in html and "咨询：5 个工作日内答复" in html and "投诉：15 个工作日内答复" in html
    )
    assert '<label for="id_subject">' in html and 'name="csrfmiddlewaretoken"' in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>")[0]  # the form needs no script


def test_the_elder_version_serves_the_form_and_posts_to_itself(client, kjt_site):
    html = client.get("/elder/liuyan/", HTTP_HOST=HOST).content.decode()
    assert 'action="/elder/liuyan/"' in html


def test_a_submission_is_stored_before_the_receipt_shows_its_number(client, kjt_site):
    response = post(client, form_data(kjt_site))
    assert response.status_code == 302 and response["Location"] == "/liuyan/done/"
    message = Message.objects.get(origin_site=kjt_site, subject="关于科技型中小企业评价的咨询")
    assert message.site == kjt_site and message.publish_allowed and message.status == "received"
    receipt = client.get("/liuyan/done/", HTTP_HOST=HOST).content.decode()
    assert message.number in receipt and "查询码" in receipt
    code = receipt.split('class="receipt-code">')[1].split("<")[0]
    assert message.check_query_code(code.lower())
    again = client.get("/liuyan/done/", HTTP_HOST=HOST)  # shown once
    assert again.status_code == 302


def test_errors_next_to_the_fields_and_typed_text_kept(client, kjt_site):
    response = post(client, form_data(kjt_site, phone="12345", subject="", content="我的问题是这样的"))
    html = response.content.decode()
    assert response.status_code == 400
    assert '<p class="errorlist" id="id_phone_error">联系电话格式不正确' in html
    assert '<p class="errorlist" id="id_subject_error">请填写标题。' in html
    assert 'href="#id_phone"' in html and 'aria-invalid="true"' in html
    assert "我的问题是这样的" in html and 'value="张三丰"' in html
    assert not Message.objects.filter(content="我的问题是这样的").exists()


def test_hostile_text_is_stored_as_text_and_escaped(client, kjt_site):
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>'; DROP TABLE x;--\x00\x07\u202e"
    response = post(client, form_data(kjt_site, subject=hostile[:90], content=hostile, name="<b>王五</b>"))
    assert response.status_code == 302
    message = Message.objects.get(name="<b>王五</b>")
    assert message.content == "<script>alert(1)</script><img src=x onerror=alert(2)>'; DROP TABLE x;--"
    html = client.get("/liuyan/done/", HTTP_HOST=HOST).content.decode()
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"subject": "长" * 101}, "标题不能超过 100 个字"),
        ({"content": "长" * 3001}, "内容不能超过 3000 字"),
        ({"content": "\x00\x01\x02"}, "请填写留言内容"),
        ({"name": "   "}, "请填写姓名"),
        ({"email": "not-an-email"}, "电子邮箱格式不正确"),
        ({"channel": "999999"}, "请选择留言类型"),
    ],
)
def test_bad_input_gets_a_chinese_message(client, kjt_site, fields, error):
    response = post(client, form_data(kjt_site, **fields))
    assert response.status_code == 400
    assert error in response.content.decode()


@pytest.mark.parametrize(
    "upload, error",
    [
        (SimpleUploadedFile("a.exe", b"MZ\x90\x00"), "只能是 JPG、PNG 图片或 PDF 文件"),
        (SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>"), "内容与文件类型不符"),
        (SimpleUploadedFile("a.pdf", PDF + b"0" * (5 * 1024 * 1024)), "不能超过 5 MB"),
    ],
)
def test_wrong_attachments_are_refused(client, kjt_site, upload, error):
    response = post(client, form_data(kjt_site, attachments=[upload]))
    assert response.status_code == 400
    assert error in response.content.decode()


def test_a_real_pdf_is_kept_under_the_private_prefix(client, kjt_site):
    response = post(client, form_data(kjt_site, attachments=[SimpleUploadedFile("材料.pdf", PDF)]))
    assert response.status_code == 302
    attachment = Message.objects.get(subject="关于科技型中小企业评价的咨询").attachments.get()
    assert str(attachment.file.name).startswith("interaction/attachments/") and attachment.title == "材料.pdf"


@override_settings(GOVSITE_MESSAGE_SUBMIT_LIMIT=2)
def test_submissions_are_rate_limited_per_address(client, kjt_site):
    assert post(client, form_data(kjt_site)).status_code == 302
    assert post(client, form_data(kjt_site)).status_code == 302
    response = post(client, form_data(kjt_site, content="第三条"))
    assert response.status_code == 429 and "第三条" in response.content.decode()


@override_settings(GOVSITE_CAPTCHA=True)
def test_with_the_captcha_a_right_answer_is_needed_and_text_survives_a_wrong_one(client, kjt_site):
    page = client.get("/liuyan/", HTTP_HOST=HOST).content.decode()
    assert "验证问题：" in page and "等于几？" in page and "换一题" in page
    question, token = captcha.new_challenge()
    wrong = post(client, form_data(kjt_site, captcha_token=token, captcha_answer="99", content="保留我"))
    assert wrong.status_code == 400 and "验证问题回答不正确" in wrong.content.decode()
    assert "保留我" in wrong.content.decode()
    answer = solve_captcha(question)
    ok = post(client, form_data(kjt_site, captcha_token=token, captcha_answer=str(answer)))
    assert ok.status_code == 302


def test_lookup_shows_status_and_refuses_a_wrong_code(client, kjt_site):
    message, code = new_message(kjt_site, subject="<i>查我</i>")
    wrong = post(client, {"number": message.number, "code": "WRONGCODE234"}, "/liuyan/cx/")
    assert wrong.status_code == 400 and "留言编号或查询码不正确" in wrong.content.decode()
    found = post(client, {"number": message.number.lower(), "code": code.lower()}, "/liuyan/cx/")
    html = found.content.decode()
    assert found.status_code == 200 and "待受理" in html and "&lt;i&gt;查我&lt;/i&gt;" in html


def test_lookup_of_another_sites_message_fails(client, kjt_site, jyt_site):
    message, code = new_message(jyt_site)
    response = post(client, {"number": message.number, "code": code}, "/liuyan/cx/")
    assert response.status_code == 400


@override_settings(GOVSITE_CAPTCHA=True)
def test_another_question_keeps_the_text_and_stores_nothing(client, kjt_site):
    _question, token = captcha.new_challenge()
    data = form_data(
        kjt_site, captcha_token=token, captcha_answer="", captcha_refresh="1", content="换题也保留"
    )
    response = post(client, data)
    html = response.content.decode()
    assert response.status_code == 200 and "换题也保留" in html and "验证问题：" in html
    assert "error-summary" not in html and not Message.objects.filter(content="换题也保留").exists()
    assert html.index(">提交留言<") < html.index(">换一题<")  # Enter in a field submits the message


def test_messages_sent_while_signed_in_are_listed_under_my_messages(client, kjt_site):
    """我的留言: one's own messages only; without an account the form works as before."""
    other_account = Client()
    for person, login in ((client, "13812340001"), (other_account, "13812340002")):
        data = {"login": login, "password1": "Liuyan#2026x", "password2": "Liuyan#2026x"}
        assert person.post("/zhanghu/zhuce/", data, HTTP_HOST=HOST).status_code == 302
    assert post(client, form_data(kjt_site, subject="我的留言一")).status_code == 302
    assert post(other_account, form_data(kjt_site, subject="别人的留言")).status_code == 302
    mine = Message.objects.get(subject="我的留言一")
    theirs = Message.objects.get(subject="别人的留言")
    assert mine.account is not None and mine.account.login == "13812340001"
    home = client.get("/zhanghu/", HTTP_HOST=HOST).content.decode()
    assert "我的留言" in home and mine.number in home and mine.channel.name in home
    assert theirs.number not in home and 'href="/liuyan/cx/"' in home
    assert post(Client(), form_data(kjt_site, subject="匿名留言")).status_code == 302
    assert Message.objects.get(subject="匿名留言").account is None
