"""Accounts made for these tests, and their logins through the real forms."""

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Group, User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

if TYPE_CHECKING:
    from govsite.testing import ClientResponse

PASSWORD = "Zhanghao-Anquan-2026"


def official(username: str = "kjt-official") -> User:
    """A department editor: can reach the admin, so both factors apply."""
    user = User.objects.create_user(username, f"{username}@example.gov.cn", PASSWORD)
    user.groups.add(Group.objects.get(name="科学技术厅-编辑"))
    return user


def code_of(device: TOTPDevice, offset: int = 0) -> str:
    """The code the device's authenticator app shows now (or `offset` steps later)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"


def authenticator(user: User) -> TOTPDevice:
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    return device


def password_login(client: Client, user: User, password: str = PASSWORD) -> "ClientResponse":
    response: Any = client.post("/admin/login/", {"username": user.username, "password": password})
    return response
