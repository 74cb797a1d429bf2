"""The security baseline: CSP, security headers, login lockout, passwords, deployment checks, errors.

The root conftest builds the demo platform into the test database, so the sites kjt.localhost and
jyt.localhost and the users platform-admin, kjt-editor and jyt-editor (password Govsite-Demo-2026) exist.
"""

import secrets
import subprocess
import sys
from typing import TYPE_CHECKING
from unittest import mock

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import Client, RequestFactory
from django.urls import path
from lxml import html
from wagtail.models import Site

from govsite.content.models import ArticlePage
from govsite.core.middleware import client_ip
from govsite.testing import DEMO_PASSWORD, cli_env
from govsite.urls import urlpatterns as site_urlpatterns

if TYPE_CHECKING:
    from govsite.testing import ClientResponse

pytestmark = pytest.mark.django_db

KJT = "kjt.localhost"
JYT = "jyt.localhost"
KJT_NAME = "内蒙古自治区科学技术厅"
LOGIN_URL = "/admin/login/"
NOT_FOUND_TEXT = "抱歉，您访问的页面不存在"
ERROR_TEXT = "抱歉，服务暂时不可用"
LOCKOUT_TEXT = "账户已临时锁定"
# Sources a policy may name: nothing but the site itself (and inline data: images).
FIRST_PARTY_SOURCES = {"'self'", "'none'", "data:"}


# --- helpers ------------------------------------------------------------------------------------
def csp(response: HttpResponseBase | dict[str, str]) -> dict[str, list[str]]:
    """The Content-Security-Policy header (of a response or a header dict) as {directive: [sources]}."""
    header = response.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    policy = {}
    for part in header.split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


def seed_article_path() -> str:
    article = ArticlePage.objects.get(slug="zjsfq-snfz")
    return article.get_url_parts()[2]


def inline_code(content: bytes) -> list[str]:
    """Inline script, event-handler attributes and javascript: links, which a strict CSP blocks."""
    doc = html.fromstring(content.decode())
    found = []
    for script in doc.iter("script"):
        if not script.get("src") and script.get("type") not in ("application/json", "application/ld+json"):
            found.append(f"<script>{(script.text or '')[:60]}")
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"<{element.tag} {name}=…>")
            if name in ("href", "src", "action") and value.strip().lower().startswith("javascript:"):
                found.append(f"<{element.tag} {name}={value[:40]}>")
    return found


def login(client: Client, username: str, password: str) -> "ClientResponse":
    return client.post(LOGIN_URL, {"username": username, "password": password})


# --- Content-Security-Policy on the public site --------------------------------------------------
PUBLIC_PAGES = [
    pytest.param(KJT, "/", 200, id="home"),
    pytest.param(KJT, "ARTICLE", 200, id="article"),
    pytest.param(KJT, "/kjdt/mtjj/", 200, id="column"),
    pytest.param(KJT, "/sitemap/", 200, id="html-sitemap"),
    pytest.param(KJT, "/elder/", 200, id="elder-version"),
    pytest.param(JYT, "/", 200, id="second-site"),
    pytest.param(KJT, "/no-such-page/", 404, id="404"),
]


@pytest.mark.parametrize(("host", "url", "status"), PUBLIC_PAGES)
def test_public_pages_have_a_strict_first_party_csp(client: Client, host: str, url: str, status: int):
    url = seed_article_path() if url == "ARTICLE" else url
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == status
    policy = csp(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    for directive, sources in policy.items():
        assert set(sources) <= FIRST_PARTY_SOURCES, f"{directive} allows {sources}"


@pytest.mark.parametrize(("host", "url", "status"), PUBLIC_PAGES)
def test_public_pages_need_no_inline_script(client: Client, host: str, url: str, status: int):
    """The strict policy only works if the templates put every script in a file."""
    url = seed_article_path() if url == "ARTICLE" else url
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == status
    assert inline_code(response.content) == []


def test_public_pages_keep_the_strict_policy_for_logged_in_editors(admin_client: Client):
    policy = csp(admin_client.get(seed_article_path(), HTTP_HOST=KJT))
    assert policy["script-src"] == ["'self'"]


# --- Content-Security-Policy in the admin --------------------------------------------------------
def assert_admin_policy(response: HttpResponseBase) -> None:
    policy = csp(response)
    # Wagtail's widgets need inline <script> (see ADMIN_CONTENT_SECURITY_POLICY); nothing needs eval.
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    for directive, sources in policy.items():
        assert set(sources) <= FIRST_PARTY_SOURCES | {"'unsafe-inline'", "blob:"}, directive


def test_admin_login_page_gets_the_admin_policy(client: Client):
    response = client.get(LOGIN_URL)
    assert response.status_code == 200
    assert_admin_policy(response)


@pytest.mark.parametrize("url", ["/admin/", "/admin/pages/", "EDIT"])
def test_admin_pages_get_the_admin_policy(admin_client: Client, url: str):
    if url == "EDIT":
        url = f"/admin/pages/{ArticlePage.objects.get(slug='zjsfq-snfz').pk}/edit/"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert_admin_policy(response)


def test_admin_sends_no_editor_address_to_gravatar(admin_client: Client):
    response = admin_client.get("/admin/")
    assert b"gravatar.com" not in response.content


def test_preview_keeps_the_public_policy_but_may_be_framed_by_the_admin(admin_client: Client):
    article = ArticlePage.objects.get(slug="zjsfq-snfz")
    # "View draft" renders the page the way the preview panel does: a dummy request for the public
    # address, run through the whole middleware stack inside an admin view.
    response = admin_client.get(f"/admin/pages/{article.pk}/view_draft/")
    assert response.status_code == 200
    policy = csp(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]


# --- Other security headers ----------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/", "ARTICLE", "/no-such-page/"])
def test_security_headers(client: Client, url: str):
    url = seed_article_path() if url == "ARTICLE" else url
    response = client.get(url, HTTP_HOST=KJT)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_published_files_carry_the_same_security_headers(client: Client):
    """Static publishing serves pages as files (govsite serve, nginx): same policy, same headers."""
    from govsite.publishing.server import security_headers

    response = client.get("/", HTTP_HOST=KJT)
    for name, value in security_headers():
        if name == "Content-Security-Policy":
            assert csp(response) == csp({name: value}), "published files get another policy"
        else:
            assert response[name] == value, name


def test_robots_txt_keeps_crawlers_out_of_the_admin(client: Client):
    response = client.get("/robots.txt", HTTP_HOST=KJT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Disallow: /" not in lines  # the public site itself stays indexable


# --- Login lockout (django-axes) -----------------------------------------------------------------
def test_five_failures_lock_the_account_and_leave_others_alone(client: Client):
    for attempt in range(1, 5):
        response = login(client, "kjt-editor", f"wrong-password-{attempt}")
        assert response.status_code == 200, attempt  # the form again, with an error
        assert LOCKOUT_TEXT not in response.content.decode()
    fifth = login(client, "kjt-editor", "wrong-password-5")
    assert fifth.status_code in (403, 429)

    # Locked: even the right password is refused, with the Chinese lockout page.
    response = login(client, "kjt-editor", DEMO_PASSWORD)
    assert response.status_code in (403, 429)
    body = response.content.decode()
    assert LOCKOUT_TEXT in body
    assert "30 分钟" in body
    assert "core/lockout.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session
    assert_admin_policy(response)

    # Another editor signs in as usual from the same address.
    other = Client()
    response = login(other, "jyt-editor", DEMO_PASSWORD)
    assert response.status_code == 302
    assert other.session["_auth_user_id"] == str(get_user_model().objects.get(username="jyt-editor").pk)


def test_a_successful_login_resets_the_failure_count(client: Client):
    for _ in range(4):
        login(client, "kjt-editor", "wrong-password")
    assert login(client, "kjt-editor", DEMO_PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client, "kjt-editor", "wrong-password").status_code == 200
    response = login(client, "kjt-editor", DEMO_PASSWORD)
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["httponly"]


def test_lockout_address_ignores_forwarded_for_without_trusted_proxies(settings):
    settings.GOVSITE_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.5"


def test_lockout_address_behind_trusted_proxies(settings):
    settings.GOVSITE_PROXY_COUNT = 1
    # nginx appends the address it saw; whatever the client wrote before it is ignored.
    forged = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_ip(forged) == "203.0.113.9"
    direct = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    assert client_ip(direct) == "127.0.0.1"


# --- Password rules ------------------------------------------------------------------------------
def password_errors(password: str) -> list[str]:
    user = get_user_model().objects.get(username="kjt-editor")
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        pytest.param("Ab1!xyz", "密码长度太短，至少需要10个字符。", id="short"),
        pytest.param("2026061512345", "密码只包含数字。", id="all-digits"),
        pytest.param("nmgkjtzhengwuwang", "至少3类", id="lower-case-only"),
        pytest.param("NMGKJT-ZWFW-PINGTAI", "至少3类", id="upper-case-and-symbols-only"),
        pytest.param("Qwerty12345", "这个密码太常见了。", id="common"),
        pytest.param("Kjt-Editor1", "太相似", id="like-the-username"),
    ],
)
def test_weak_passwords_are_rejected_in_chinese(password: str, expected: str):
    errors = password_errors(password)
    assert any(expected in message for message in errors), errors
    for message in errors:
        assert any("\u4e00" <= char <= "\u9fff" for char in message), f"not Chinese: {message}"


@pytest.mark.parametrize("password", ["Nmg-Kjt#2026x", "zhengwu2026，平台"])
def test_strong_passwords_are_accepted(password: str):
    assert password_errors(password) == []


def test_password_help_texts_are_chinese():
    from django.contrib.auth.password_validation import password_validators_help_texts

    texts = password_validators_help_texts()
    assert any("10" in text for text in texts)
    for text in texts:
        assert any("\u4e00" <= char <= "\u9fff" for char in text), text


# --- Production settings pass Django's deployment checks ----------------------------------------
def run_deploy_check(tmp_path, **env: str | None) -> subprocess.CompletedProcess:
    """`govsite check --deploy` in a fresh process, as production runs it (None unsets a variable)."""
    environment = {**cli_env(tmp_path), "GOVSITE_DEBUG": "0", **env}  # production settings, not the tests'
    present = {name: value for name, value in environment.items() if value is not None}
    return subprocess.run(
        [sys.executable, "-m", "govsite", "check", "--deploy", "--fail-level", "WARNING"],
        env=present,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = run_deploy_check(
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(50),
        GOVSITE_PII_KEYS=Fernet.generate_key().decode(),
        GOVSITE_PII_HASH_KEY=secrets.token_urlsafe(32),
        GOVSITE_HTTPS="1",
        ALLOWED_HOSTS="kjt.nmg.gov.cn,jyt.nmg.gov.cn",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in result.stdout, output
    assert "WARNING" not in output


def test_check_deploy_refuses_the_demo_secret_key(tmp_path):
    result = run_deploy_check(tmp_path, SECRET_KEY=None, GOVSITE_HTTPS="1", ALLOWED_HOSTS="kjt.nmg.gov.cn")
    assert result.returncode != 0
    assert "security.W009" in result.stderr


# --- Errors: the site's own pages, never a stack trace -------------------------------------------
def crashing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("internal detail that must not reach the reader")


# This module doubles as a URLconf for the 500 tests: a crashing view in front of the real site.
urlpatterns = [path("test-crash/", crashing_view), *site_urlpatterns]
handler404 = "govsite.core.views.page_not_found"
handler500 = "govsite.core.views.server_error"


@pytest.fixture
def crashing_site(settings, client: Client) -> Client:
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    return client


def assert_no_internals(body: str) -> None:
    for leak in ("Traceback", "RuntimeError", "internal detail", "site-packages", 'File "'):
        assert leak not in body, leak


def test_server_error_renders_the_chinese_error_page_in_the_site_design(crashing_site: Client):
    response = crashing_site.get("/test-crash/", HTTP_HOST=KJT)
    assert response.status_code == 500
    body = response.content.decode()
    assert ERROR_TEXT in body
    assert KJT_NAME in body  # the site's own header and footer
    assert_no_internals(body)
    assert csp(response)["script-src"] == ["'self'"]


def test_server_error_page_survives_a_database_failure(crashing_site: Client):
    with mock.patch.object(Site, "find_for_request", side_effect=DatabaseError("database is down")):
        response = crashing_site.get("/test-crash/", HTTP_HOST=KJT)
    assert response.status_code == 500
    body = response.content.decode()
    assert ERROR_TEXT in body
    assert_no_internals(body)
    assert "database is down" not in body


# --- Bad input: a 404 in the site's design, never a 500 ------------------------------------------
BAD_PATHS = [
    pytest.param("/kjdt/mtjj/999999/x.html", id="bad-month-and-name"),
    pytest.param("/kjdt/mtjj/202103/t20210331_abc.html", id="non-numeric-id"),
    pytest.param("/kjdt/mtjj/202103/t20210331_-1.html", id="negative-id"),
    pytest.param("/kjdt/mtjj/202103/t20210331_99999999.html", id="missing-id"),
    pytest.param("/kjdt/mtjj/202103/t20210331_99999999999999999999.html", id="huge-id"),
    pytest.param("/kjdt/mtjj/202103/t99999999_1.html", id="impossible-date"),
    pytest.param("/kjdt/mtjj/index_99999999999999999999.html", id="huge-list-page"),
    pytest.param("/kjdt/%00/", id="nul-in-path"),
    pytest.param("/kjdt/mtjj/x%00.html", id="nul-in-file-name"),
    pytest.param("/kjdt/%E4%B8%AD%E6%96%87/", id="chinese-segment"),
    pytest.param("/kjdt/%ff%fe/", id="invalid-utf8"),
    pytest.param("/" + "a" * 5000 + "/", id="very-long-segment"),
    pytest.param("/kjdt" + "/x" * 500 + "/", id="very-deep-path"),
    pytest.param("/..%2f..%2fetc/passwd", id="traversal"),
    pytest.param("/elder/kjdt/mtjj/999999/x.html", id="elder-version"),
]


@pytest.mark.parametrize("url", BAD_PATHS)
def test_bad_addresses_get_the_designed_404(client: Client, url: str):
    client.raise_request_exception = False
    response = client.get(url, HTTP_HOST=KJT)
    assert response.status_code == 404
    body = response.content.decode()
    assert NOT_FOUND_TEXT in body
    assert KJT_NAME in body
    assert_no_internals(body)
    assert csp(response)["script-src"] == ["'self'"]
