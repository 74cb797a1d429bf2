"""E1, E2, E5: password age and history, the idle timeout, dormant accounts, reserved usernames."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from govsite.accounts.middleware import LAST_SEEN_KEY
from govsite.accounts.models import PasswordHistory
from govsite.accounts.services import disable_dormant_accounts
from govsite.core.background import _CLOCK

from .helpers import PASSWORD, official

pytestmark = pytest.mark.django_db
EXPIRED = "/admin/security/password-expired/"


def age_password(user: User, days: int) -> None:
    PasswordHistory.objects.filter(user=user).update(created=timezone.now() - timedelta(days=days))


def test_the_last_five_passwords_cannot_be_reused() -> None:
    user = official()
    passwords = [f"Xin-Mima-{n}-2026" for n in range(5)]
    for password in passwords:
        validate_password(password, user)
        user.set_password(password)
        user.save()
    for old in [PASSWORD, *passwords]:
        if old == PASSWORD:
            validate_password(old, user)  # the sixth-last one is allowed again
            continue
        with pytest.raises(ValidationError, match="最近使用过的5个密码"):
            validate_password(old, user)
    assert PasswordHistory.objects.filter(user=user).count() == 5


def test_an_expired_password_must_be_changed_before_anything_else(client: Client) -> None:
    user = official()
    age_password(user, 91)
    client.force_login(user)
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"].startswith(EXPIRED)
    same = {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD}
    reused = client.post(EXPIRED, same)
    assert "最近使用过" in reused.content.decode()
    new = "Geng-Huan-Mima-2026"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new, "next": "/admin/pages/"}
    changed = client.post(EXPIRED, data)
    assert changed.status_code == 302 and changed["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200  # still logged in, password current again


def test_a_recent_password_is_not_asked_again(client: Client) -> None:
    user = official()
    age_password(user, 89)
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def test_an_idle_admin_session_is_logged_out(client: Client) -> None:
    client.force_login(official())
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - 31 * 60
    session.save()
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert client.get("/admin/")["Location"].startswith("/admin/login/")  # logged out, not just redirected


def test_an_active_session_stays(client: Client) -> None:
    client.force_login(official())
    client.get("/admin/")
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - 29 * 60
    session.save()
    assert client.get("/admin/").status_code == 200


@pytest.mark.both_engines  # SELECT ... FOR UPDATE
def test_dormant_accounts_are_disabled_by_the_platform_clock() -> None:
    assert "govsite.accounts.tasks.disable_dormant_accounts_task" in _CLOCK
    dormant, used, fresh = official("dormant-one"), official("used-one"), official("fresh-one")
    long_ago = timezone.now() - timedelta(days=91)
    get_user_model().objects.filter(pk=dormant.pk).update(last_login=long_ago)
    get_user_model().objects.filter(pk=used.pk).update(last_login=timezone.now() - timedelta(days=10))
    get_user_model().objects.filter(pk=fresh.pk).update(date_joined=timezone.now() - timedelta(days=5))
    assert "dormant-one" in disable_dormant_accounts()
    users = get_user_model().objects.filter(username__endswith="-one")
    states = dict(users.values_list("username", "is_active"))
    assert states == {"dormant-one": False, "used-one": True, "fresh-one": True}


@pytest.mark.parametrize("name", ["admin", "Root", "administrator"])
def test_reserved_usernames_are_refused_for_new_accounts(name: str) -> None:
    with pytest.raises(ValidationError, match="系统保留名称"):
        get_user_model().objects.create_user(name, f"{name}@example.gov.cn", PASSWORD)


def test_the_admin_user_form_refuses_a_reserved_username(admin_client: Client) -> None:
    data = {
        "username": "root",
        "email": "root@example.gov.cn",
        "first_name": "根",
        "last_name": "用户",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    response = admin_client.post(reverse("wagtailusers_users:add"), data)
    assert response.status_code == 200 and "系统保留名称" in response.content.decode()
    assert not get_user_model().objects.filter(username="root").exists()


@override_settings(GOVSITE_PASSWORD_MAX_AGE_DAYS=0)
def test_expiry_can_be_switched_off(client: Client) -> None:
    user = official()
    age_password(user, 400)
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
