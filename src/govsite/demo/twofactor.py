"""The demo accounts' second factor: one published, demo-only TOTP secret (docs/demo.md).

Every account the demo creates gets a confirmed TOTP device named DEMO_DEVICE_NAME with this secret,
so that `make run` logs in within a minute: add the secret to any authenticator app, or print the
current code with `govsite otp-code USER`. The command refuses every device the demo did not create:
an operator's real devices stay secret. Never use the demo accounts on a reachable server.
"""

from base64 import b32decode
from typing import Any

from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

# Base32, as typed into an authenticator app (20 bytes). Public on purpose: demo only.
DEMO_TOTP_SECRET = "GOVSITEDEMOTOTPSECRETONLYFORDEMO"  # noqa: S105 - published, demo only
DEMO_DEVICE_NAME = "演示身份验证器（仅限演示）"


class NotADemoDevice(Exception):
    """The account has no device the demo created: its code is nobody's business but its owner's."""


def demo_key() -> str:
    return b32decode(DEMO_TOTP_SECRET).hex()


def give_demo_devices(users: Any) -> int:
    """A confirmed demo TOTP device for each of `users` that has no TOTP device yet; how many."""
    given = 0
    for user in users:
        if not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, key=demo_key(), confirmed=True)
            given += 1
    return given


def demo_code(username: str) -> str:
    """The current code of the account's demo device; NotADemoDevice for any other account."""
    user = get_user_model().objects.filter(username=username).first()
    device = (
        TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME, key=demo_key(), confirmed=True).first()
        if user
        else None
    )
    if device is None:
        raise NotADemoDevice(username)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"
