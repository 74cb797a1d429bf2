"""Public accounts: register, sign in, lockout, sign out, 我的账号, and never the admin."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import override_settings

from govsite.citizens import accounts
from govsite.citizens.demo import DEMO_PUBLIC_LOGIN, DEMO_PUBLIC_PASSWORD
from govsite.citizens.models import PublicAccount
from govsite.disclosure.models import DisclosureRequest
from govsite.disclosure.tests.helpers import application
from govsite.testing import assert_captcha_guards

pytestmark = pytest.mark.django_db
HOST = "kjt.localhost"
PASSWORD = "Shenqing#2026x"


def register(client, login="13812345678", password=PASSWORD, confirm=None, **extra):
    data = {"login": login, "password1": password, "password2": confirm or password, **extra}
    return client.post("/zhanghu/zhuce/", data, HTTP_HOST=HOST)


def sign_in(client, login="13812345678", password=PASSWORD):
    return client.post("/zhanghu/denglu/", {"login": login, "password": password}, HTTP_HOST=HOST)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("138 1234 5678", ("13812345678", "phone")),
        ("+8613812345678", ("13812345678", "phone")),
        (" Zhang@Example.COM ", ("zhang@example.com", "email")),
        ("12345", None),
        ("zhang@", None),
    ],
)
def test_normalise_login(raw, expected):
    assert accounts.normalise_login(raw) == expected


def test_register_signs_in_and_shows_my_account(client):
    response = register(client, display_name="张先生")
    assert response.status_code == 302 and response["Location"] == "/zhanghu/"
    account = PublicAccount.objects.get(login="13812345678")
    assert account.kind == "phone" and account.password != PASSWORD
    home = client.get("/zhanghu/", HTTP_HOST=HOST).content.decode()
    assert "张先生" in home and "我的申请" in home and "我的纠错" in home


@pytest.mark.parametrize(
    "password, message",
    [
        ("Ab1!", "密码长度太短"),
        ("abcdefghijk", "至少3类"),
        ("13812345678a", "至少3类"),
    ],
)
def test_register_applies_the_password_rules_and_keeps_the_login(client, password, message):
    response = register(client, password=password)
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert 'value="13812345678"' in html and not PublicAccount.objects.filter(login="13812345678").exists()


def test_password_similar_to_the_login_is_refused(client):
    response = register(client, login="zhangsanfeng@example.com", password="Zhangsanfeng@example")
    assert response.status_code == 400 and "太相似" in response.content.decode()


def test_register_refuses_a_taken_login_and_mismatched_passwords(client):
    register(client)
    client.post("/zhanghu/tuichu/", HTTP_HOST=HOST)
    assert "已注册" in register(client, login="138-1234-5678").content.decode()
    assert "两次输入的密码不一致" in register(client, login="a@b.cn", confirm="Other#2026xx").content.decode()


def test_sign_in_sign_out(client):
    register(client)
    client.post("/zhanghu/tuichu/", HTTP_HOST=HOST)
    assert client.get("/zhanghu/", HTTP_HOST=HOST)["Location"].startswith("/zhanghu/denglu/")
    wrong = sign_in(client, password="Wrong#2026xx")
    assert wrong.status_code == 400 and "密码不正确" in wrong.content.decode()
    assert sign_in(client).status_code == 302
    assert client.get("/zhanghu/", HTTP_HOST=HOST).status_code == 200
    assert client.get("/zhanghu/tuichu/", HTTP_HOST=HOST).status_code == 405  # sign-out is a POST


def test_sign_in_changes_the_session_key(client):
    register(client)
    client.post("/zhanghu/tuichu/", HTTP_HOST=HOST)
    client.get("/zhaocuo/", HTTP_HOST=HOST)
    client.session.save()
    before = client.session.session_key
    sign_in(client)
    assert client.session.session_key != before


def test_a_password_change_ends_other_sessions(client):
    register(client)
    account = PublicAccount.objects.get(login="13812345678")
    account.set_password("Another#2026xy")
    account.save()
    assert client.get("/zhanghu/", HTTP_HOST=HOST).status_code == 302


def test_unsafe_next_is_ignored(client):
    register(client)
    client.post("/zhanghu/tuichu/", HTTP_HOST=HOST)
    data = {"login": "13812345678", "password": PASSWORD, "next": "https://evil.example.com/"}
    assert client.post("/zhanghu/denglu/", data, HTTP_HOST=HOST)["Location"] == "/zhanghu/"
    client.post("/zhanghu/tuichu/", HTTP_HOST=HOST)
    data["next"] = "/zhaocuo/"
    assert client.post("/zhanghu/denglu/", data, HTTP_HOST=HOST)["Location"] == "/zhaocuo/"


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_after_repeated_failures_even_with_the_right_password(client):
    register(client)
    client.post("/zhanghu/tuichu/", HTTP_HOST=HOST)
    for _ in range(3):
        assert sign_in(client, password="Wrong#2026xx").status_code == 400
    locked = sign_in(client)
    assert locked.status_code == 429 and "临时锁定" in locked.content.decode()
    assert client.get("/zhanghu/", HTTP_HOST=HOST).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_public_failures_do_not_lock_the_admin_login(client):
    for _ in range(4):
        sign_in(client, login="13800000000", password="Wrong#2026xx")
    response = client.post("/admin/login/", {"username": "platform-admin", "password": "Govsite-Demo-2026"})
    assert response.status_code == 302


def test_a_public_account_never_reaches_the_admin(client):
    register(client, login="admin@example.gov.cn")
    session = client.session
    assert SESSION_KEY not in session  # not a Django user session
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    response = client.post("/admin/login/", {"username": "admin@example.gov.cn", "password": PASSWORD})
    assert response.status_code == 200 and SESSION_KEY not in client.session
    account = PublicAccount.objects.get(login="admin@example.gov.cn")
    assert not hasattr(account, "is_staff") and not hasattr(account, "has_perm")


def test_admin_and_public_sessions_do_not_mix(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/zhanghu/", HTTP_HOST=HOST).status_code == 302  # an official is no public account
    register(client)
    assert client.get("/admin/").status_code == 200  # the admin session survived the public sign-in
    client.post("/zhanghu/tuichu/", HTTP_HOST=HOST)
    assert client.get("/admin/").status_code == 200  # and the public sign-out
    sign_in(client)
    client.post("/admin/logout/")
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_my_applications_lists_cases_sent_while_signed_in_only(client, kjt_site):
    register(client)
    data = application()
    assert client.post("/yisqgk/", data, HTTP_HOST=HOST).status_code == 302
    mine = DisclosureRequest.objects.get(account__login="13812345678")
    client.post("/zhanghu/tuichu/", HTTP_HOST=HOST)
    earlier = list(DisclosureRequest.objects.values_list("pk", flat=True))
    assert client.post("/yisqgk/", application(), HTTP_HOST=HOST).status_code == 302  # no account: as before
    anonymous = DisclosureRequest.objects.exclude(pk__in=earlier).get()
    assert anonymous.account is None
    sign_in(client)
    home = client.get("/zhanghu/", HTTP_HOST=HOST).content.decode()
    assert mine.number in home and anonymous.number not in home


def test_error_reports_sent_while_signed_in_are_listed(client):
    register(client)
    client.post(
        "/zhaocuo/",
        {"page_url": "/", "error_type": "link", "description": "链接<失效>", "contact": ""},
        HTTP_HOST=HOST,
    )
    home = client.get("/elder/zhanghu/", HTTP_HOST=HOST).content.decode()
    assert "链接&lt;失效&gt;" in home and "待处理" in home


def test_the_demo_account_signs_in_and_has_a_case(client):
    assert sign_in(client, DEMO_PUBLIC_LOGIN, DEMO_PUBLIC_PASSWORD).status_code == 302
    home = client.get("/zhanghu/", HTTP_HOST=HOST).content.decode()
    assert "-900001" in home and "政策文件" in home


@override_settings(GOVSITE_CAPTCHA=True)
@pytest.mark.parametrize(
    "path, data",
    [
        ("/zhaocuo/", {"page_url": "/", "error_type": "typo", "description": "保留的文字", "contact": ""}),
        ("/zhanghu/zhuce/", {"login": "13812345678", "display_name": "保留的文字", "password1": PASSWORD}),
    ],
)
def test_with_the_captcha_error_reports_and_registration_need_the_right_answer(client, path, data):
    if "password1" in data:
        data = {**data, "password2": PASSWORD}
    assert_captcha_guards(lambda extra: client.post(path, extra, HTTP_HOST=HOST), data, "保留的文字")
    assert ">换一题<" in client.get("/zhaocuo/", HTTP_HOST=HOST).content.decode()


@override_settings(GOVSITE_CAPTCHA=True)
def test_the_login_form_has_no_captcha(client):
    assert "验证问题" not in client.get("/zhanghu/denglu/", HTTP_HOST=HOST).content.decode()
