"""Outgoing mail (the admin's password reset) is configured from the environment: EMAIL_URL."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from govsite.core.email_url import EmailURLError, parse_email_url

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_smtp_with_starttls_and_encoded_credentials():
    config = parse_email_url("smtp://mailer%40kjt:p%40ss%2Fword@mail.example.gov.cn:587/?tls=1&timeout=10")
    assert config == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.example.gov.cn",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer@kjt",
        "EMAIL_HOST_PASSWORD": "p@ss/word",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10.0,
    }


def test_smtps_and_default_ports():
    assert parse_email_url("smtps://u:p@mail.example.gov.cn")["EMAIL_PORT"] == 465
    assert parse_email_url("smtps://u:p@mail.example.gov.cn")["EMAIL_USE_SSL"] is True
    assert parse_email_url("smtp://relay.internal?tls=1")["EMAIL_PORT"] == 587
    plain = parse_email_url("smtp://relay.internal")
    assert (plain["EMAIL_PORT"], plain["EMAIL_USE_TLS"], plain["EMAIL_HOST_USER"]) == (25, False, "")


def test_other_backends(tmp_path: Path):
    assert parse_email_url("console://") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }
    assert parse_email_url("file:///srv/mail")["EMAIL_FILE_PATH"] == Path("/srv/mail")
    assert parse_email_url("file://", default_file_path=tmp_path)["EMAIL_FILE_PATH"] == tmp_path
    assert parse_email_url("dummy://")["EMAIL_BACKEND"].endswith("dummy.EmailBackend")


@pytest.mark.parametrize(
    "url",
    [
        "imap://mail.example.gov.cn",
        "smtp://",
        "smtp://host:notaport",
        "smtps://host/?tls=1",
        "smtp://host/?tsl=1",
        "smtp://host/?timeout=soon",
        "file://",
    ],
)
def test_bad_urls_get_a_clear_message(url: str):
    with pytest.raises(EmailURLError, match="EMAIL_URL"):
        parse_email_url(url)


def settings_in_fresh_process(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "GOVSITE_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "govsite.settings",
    }
    environment.update(env)
    for name in ("EMAIL_URL", "DEFAULT_FROM_EMAIL"):
        if name not in env:
            environment.pop(name, None)
    names = [
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_USE_SSL",
        "EMAIL_FILE_PATH",
        "DEFAULT_FROM_EMAIL",
    ]
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: str(getattr(settings, n, '')) for n in {names!r}}}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60
    )


def test_settings_read_email_url_and_sender(tmp_path: Path):
    result = settings_in_fresh_process(
        tmp_path,
        EMAIL_URL="smtps://u:p@mail.example.gov.cn",
        DEFAULT_FROM_EMAIL="网站管理 <noreply@kjt.gov.cn>",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["EMAIL_BACKEND"] == SMTP
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"], values["EMAIL_USE_SSL"]) == (
        "mail.example.gov.cn",
        "465",
        "True",
    )
    assert values["DEFAULT_FROM_EMAIL"] == "网站管理 <noreply@kjt.gov.cn>"
    # Unset: mails stay on the machine, as files under var/mail/.
    default = json.loads(settings_in_fresh_process(tmp_path).stdout)
    assert default["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert default["EMAIL_FILE_PATH"] == str(tmp_path / "mail")
    # A bad value stops the platform with a message naming the variable, not a mail lost later.
    bad = settings_in_fresh_process(tmp_path, EMAIL_URL="imap://mail.example.gov.cn")
    assert bad.returncode != 0
    assert "EMAIL_URL: unknown scheme 'imap'" in bad.stderr


@pytest.mark.django_db
def test_admin_password_reset_sends_the_mail_through_the_configured_backend(settings, tmp_path: Path):
    for name, value in parse_email_url("file://", default_file_path=tmp_path).items():
        setattr(settings, name, value)
    settings.DEFAULT_FROM_EMAIL = "noreply@kjt.gov.cn"
    response = Client().post("/admin/password_reset/", {"email": "kjt-editor@example.gov.cn"})
    assert response.status_code == 302
    mails = list(tmp_path.glob("*.log"))
    assert len(mails) == 1
    text = mails[0].read_text()
    assert "To: kjt-editor@example.gov.cn" in text
    assert "From: noreply@kjt.gov.cn" in text
    assert "/admin/password_reset/confirm/" in text
