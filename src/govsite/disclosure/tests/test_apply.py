"""The public application form: validation messages next to the fields, typed text kept, the receipt."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govsite.core.personal import mask_name, mask_number, resident_id_problem
from govsite.core.publicforms import MAX_UPLOAD_BYTES
from govsite.disclosure.models import DisclosureRequest

from .helpers import PDF_BYTES, VALID_ID, application

pytestmark = pytest.mark.django_db
HOST = "kjt.localhost"


def submitted():
    """Cases made by the test (the session's demo has its own: 9000xx this year, 9001xx last year for the
    年报, docs/annual-report.md)."""
    return DisclosureRequest.objects.exclude(number__contains="-900")


def post(client, data, path="/yisqgk/"):
    return client.post(path, data, HTTP_HOST=HOST)


def test_resident_id_checksum():
    assert resident_id_problem(VALID_ID) is None
    assert resident_id_problem(VALID_ID.lower()) is None
    assert "校验位" in str(resident_id_problem("110105194912310021"))
    assert "出生日期" in str(resident_id_problem("110105194902300021"))
    assert "18 位" in str(resident_id_problem("11010519491231"))


def test_the_form_page_is_accessible_markup(client):
    response = client.get("/yisqgk/", HTTP_HOST=HOST)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<label for="id_name">' in html
    assert 'aria-describedby="id_id_number_helptext"' in html
    assert "<legend>申请人类型" in html and "商业企业" in html and "法律服务机构" in html


def test_bad_id_checksum_is_shown_next_to_the_field_and_text_kept(client):
    response = post(client, application(id_number="110105194912310021", description="我要的信息：立项清单"))
    html = response.content.decode()
    assert response.status_code == 400
    assert '<p class="errorlist" id="id_id_number_error">居民身份证号码校验位不正确' in html
    assert 'href="#id_id_number"' in html  # the error summary links to the field
    assert 'aria-invalid="true"' in html and "id_id_number_error id_id_number_helptext" in html
    assert "我要的信息：立项清单" in html and 'value="张三丰"' in html
    assert not submitted().exists()


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("id.exe", b"MZ\x90\x00"), "只能是 JPG、PNG 图片或 PDF 文件"),
        (SimpleUploadedFile("id.pdf", b"<html>not a pdf</html>"), "内容与文件类型不符"),
        (SimpleUploadedFile("id.pdf", PDF_BYTES + b"0" * MAX_UPLOAD_BYTES), "不能超过 5 MB"),
    ],
    ids=["wrong type", "disguised", "oversized"],
)
def test_bad_uploads_are_refused_with_a_message(client, upload, message):
    response = post(client, application(id_document=upload))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "2025 年度科技计划项目立项清单" in response.content.decode()
    assert not submitted().exists()


def test_email_delivery_needs_an_address(client):
    response = post(client, application(email=""))
    assert "选择以电子邮件获取信息时，请填写电子邮箱" in response.content.decode()


def test_submit_gives_number_and_query_code_once(client, kjt_site):
    response = post(client, application())
    assert response.status_code == 302 and response["Location"] == "/yisqgk/done/"
    case = submitted().get()
    assert case.site == kjt_site and case.status == "registered"
    assert case.number.startswith(f"YSQ-{case.received_on.year}-") and len(case.number) == 15
    stored_name = str(case.id_document.name)
    assert stored_name.startswith("disclosure/ids/") and "证件" not in stored_name
    receipt = client.get("/yisqgk/done/", HTTP_HOST=HOST).content.decode()
    assert case.number in receipt
    code = receipt.split('class="receipt-code">')[1].split("<")[0]
    assert len(code) >= 10 and case.check_query_code(code) and code not in case.query_code_hash
    # Shown once only.
    assert client.get("/yisqgk/done/", HTTP_HOST=HOST).status_code == 302


def test_elder_version_posts_to_its_own_address(client):
    html = client.get("/elder/yisqgk/", HTTP_HOST=HOST).content.decode()
    assert 'action="/elder/yisqgk/"' in html
    response = post(client, application(), path="/elder/yisqgk/")
    assert response["Location"] == "/elder/yisqgk/done/"


def test_numbers_are_sequential_per_site(client, kjt_site, jyt_site):
    post(client, application())
    post(client, application())
    client.post("/yisqgk/", application(), HTTP_HOST="jyt.localhost")
    numbers = sorted(submitted().filter(site=kjt_site).values_list("number", flat=True))
    assert [n[-6:] for n in numbers] == ["000001", "000002"]
    assert submitted().get(site=jyt_site).number.endswith("000001")


def test_submissions_are_rate_limited(client, settings):
    settings.GOVSITE_DISCLOSURE_SUBMIT_LIMIT = 1
    post(client, application())
    response = post(client, application(description="第二次申请的描述"))
    assert response.status_code == 429
    assert "第二次申请的描述" in response.content.decode()  # still not lost
    assert submitted().count() == 1


def test_masking():
    assert mask_name("张三") == "张*" and mask_name("张三丰") == "张**"
    assert mask_number("150102199003071234") == "1501**********1234"
    assert mask_number("13812345678") == "138****5678"


def test_form_addresses_reach_django_not_published_files():
    from govsite.publishing.layout import is_dynamic
    from govsite.publishing.server import PRIVATE_MEDIA_PREFIXES

    assert is_dynamic("/yisqgk/") and is_dynamic("/elder/yisqgk/cx/")
    assert "disclosure/" in PRIVATE_MEDIA_PREFIXES
