"""E4: every account that can reach the admin needs password + a second factor (TOTP or recovery code)."""

import re
import time

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from govsite.core.models import AuditRecord
from govsite.demo.twofactor import demo_code
from govsite.testing import demo_user

from .helpers import authenticator, code_of, official, password_login

pytestmark = pytest.mark.django_db
SETUP = "/admin/security/two-factor/"
VERIFY = "/admin/security/two-factor/verify/"


@pytest.fixture
def browser_client(fresh_rate_limits: None) -> Client:
    """A client that logs in only through the forms (no force_login)."""
    return Client()


def test_a_password_alone_reaches_nothing_but_enrolment(browser_client: Client) -> None:
    user = official()
    assert password_login(browser_client, user).status_code == 302
    for address in ("/admin/", "/admin/pages/", "/admin/users/", f"/admin/pages/{2}/edit/"):
        response = browser_client.get(address)
        assert response.status_code == 302 and response["Location"].startswith(SETUP), address
    # The icon sprite every admin page (these steps too) inserts by script is not redirected.
    sprite = browser_client.get("/admin/sprite/")
    assert sprite.status_code == 200 and b"<svg" in sprite.content[:300]


def test_enrolment_shows_a_local_qr_code_and_binds_the_authenticator(browser_client: Client) -> None:
    user = official()
    password_login(browser_client, user)
    page = browser_client.get(SETUP).content.decode()
    assert "<svg" in page and "绑定身份验证器" in page and "http" not in page.split("<svg", 1)[1][:200]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = browser_client.post(SETUP, {"code": "000000" if code_of(device) != "000000" else "111111"})
    assert "验证码不正确" in wrong.content.decode() and browser_client.get("/admin/").status_code == 302
    # django-otp throttles a device after a wrong code (1 s, then 2 s, 4 s …): even the right one waits.
    assert "验证码不正确" in browser_client.post(SETUP, {"code": code_of(device)}).content.decode()
    time.sleep(1.1)
    done = browser_client.post(SETUP, {"code": code_of(device), "next": "/admin/pages/"})
    codes = re.findall(r"<code>(\d{10})</code>", done.content.decode())
    assert len(codes) == 10 and StaticToken.objects.filter(device__user=user).count() == 10
    assert browser_client.get("/admin/").status_code == 200


def test_an_enrolled_account_gives_its_code_after_the_password(browser_client: Client) -> None:
    user = official()
    device = authenticator(user)
    password_login(browser_client, user)
    assert browser_client.get("/admin/")["Location"].startswith(VERIFY)
    # An unverified session cannot bind another authenticator: the password never replaces the phone.
    assert browser_client.get(SETUP)["Location"].startswith(VERIFY)
    refused = browser_client.post(VERIFY, {"code": "12345"})
    assert "验证码不正确" in refused.content.decode()
    accepted = browser_client.post(VERIFY, {"code": code_of(device), "next": "/admin/pages/"})
    assert accepted.status_code == 302 and accepted["Location"] == "/admin/pages/"
    assert browser_client.get("/admin/").status_code == 200


def test_a_recovery_code_works_once(browser_client: Client) -> None:
    from govsite.accounts.twofactor import new_recovery_codes

    user = official()
    authenticator(user)
    code = new_recovery_codes(user)[0]
    password_login(browser_client, user)
    assert browser_client.post(VERIFY, {"code": code}).status_code == 302
    assert browser_client.get("/admin/").status_code == 200
    again = Client()
    password_login(again, user)
    assert "验证码不正确" in again.post(VERIFY, {"code": code}).content.decode()


def test_guessing_codes_locks_the_account_like_guessing_passwords(browser_client: Client) -> None:
    user = official()
    device = authenticator(user)
    password_login(browser_client, user)
    wrong = "000000" if code_of(device) != "000000" else "111111"
    for _ in range(4):
        assert browser_client.post(VERIFY, {"code": wrong}).status_code == 200
    locked = browser_client.post(VERIFY, {"code": wrong})
    assert locked.status_code == 429 and "锁定" in locked.content.decode()
    # The half-logged-in session is gone and the password no longer opens the account.
    assert browser_client.get("/admin/")["Location"].startswith("/admin/login/")
    assert password_login(browser_client, user).status_code == 429
    # Each wrong code and the lockout are in the audit trail (E6), with the account and the outcome.
    trail = AuditRecord.objects.filter(event__in=["auth.second_factor", "auth.locked_out"])
    assert trail.filter(event="auth.second_factor", outcome="failure", user_id=user.pk).count() == 5
    assert trail.filter(event="auth.locked_out", outcome="failure").exists()


def test_the_public_site_needs_no_second_factor(browser_client: Client, kjt_site: object) -> None:
    password_login(browser_client, official())
    assert browser_client.get("/", HTTP_HOST="kjt.localhost").status_code == 200


@override_settings(GOVSITE_TWO_FACTOR=False)
def test_the_setting_switches_the_second_factor_off(browser_client: Client) -> None:
    password_login(browser_client, official())
    assert browser_client.get("/admin/").status_code == 200


def test_otp_code_prints_the_demo_accounts_code_only(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("otp-code", "platform-admin")
    assert capsys.readouterr().out.strip() == demo_code("platform-admin")
    device = TOTPDevice.objects.get(user=demo_user("platform-admin"))
    assert code_of(device) == demo_code("platform-admin")
    user = official()
    authenticator(user)
    with pytest.raises(CommandError, match="演示"):
        call_command("otp-code", user.username)


def test_a_reset_sends_the_account_back_to_enrolment(browser_client: Client) -> None:
    user = official()
    authenticator(user)
    call_command("two_factor_reset", user.username)
    password_login(browser_client, user)
    assert browser_client.get("/admin/")["Location"].startswith(SETUP)


def test_a_half_logged_in_session_is_anonymous_outside_the_admin(browser_client: Client) -> None:
    """A draft's attachment is private to the department: the password alone does not open it."""
    from govsite.content.tests.test_document_privacy import kjt_document

    document = kjt_document()
    user = official()
    device = authenticator(user)
    password_login(browser_client, user)
    assert browser_client.get(document.url).status_code == 404
    browser_client.post(VERIFY, {"code": code_of(device)})
    assert browser_client.get(document.url).status_code == 200


def test_a_verified_session_binds_a_new_phone_from_the_account_page(client: Client) -> None:
    user = official()
    client.force_login(user)
    assert SETUP in client.get("/admin/account/").content.decode()
    old = TOTPDevice.objects.get(user=user, confirmed=True)
    client.get(SETUP)
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(SETUP, {"code": code_of(new)}).status_code == 200
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", "confirmed")) == [(new.pk, True)]
    assert old.pk != new.pk
