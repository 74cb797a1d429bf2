"""The second factor (E4): TOTP devices and one-time recovery codes (django-otp), and its extension point.

A session is verified when django_otp.login() stored the device that proved the second factor;
govsite.accounts.middleware lets an unverified admin session reach nothing but these steps.

Other second factors (a certificate on a 国密 USB key checked by the TLS terminator, a hardware
token) plug in through GOVSITE_SECOND_FACTORS: each is a class with `verified_device(request)` that
returns the django-otp Device that proved the factor for request.user, or None. The middleware asks
each in turn before sending the user to the code step (docs/two-factor.md shows a certificate one).
"""

import secrets
from typing import Any, Protocol

import segno
from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

TOTP_DEVICE_NAME = "身份验证器"
RECOVERY_DEVICE_NAME = "恢复码"
RECOVERY_CODE_COUNT = 10


class SecondFactor(Protocol):
    """An extension point: a second factor proved outside the code form (see the module docstring)."""

    def verified_device(self, request: HttpRequest) -> Device | None: ...


def second_factors() -> list[SecondFactor]:
    return [import_string(path)() for path in settings.GOVSITE_SECOND_FACTORS]


def has_confirmed_device(user: Any) -> bool:
    """A user is enrolled once a TOTP device (or another factor's device) is confirmed; recovery
    codes alone do not count, they only stand in for a lost authenticator."""
    return any(not isinstance(device, StaticDevice) for device in devices_for_user(user, confirmed=True))


def pending_totp_device(user: Any) -> TOTPDevice:
    """The user's unconfirmed TOTP device being enrolled (one, its secret kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def provisioning_uri(device: TOTPDevice) -> str:
    """The otpauth:// address an authenticator app reads from the QR code (issuer: the platform)."""
    uri: str = device.config_url
    return uri


def qr_svg(data: str) -> str:
    """The QR code as inline SVG, drawn here: the secret never leaves the machine for a chart service."""
    svg: str = segno.make(data, error="m").svg_inline(scale=5, border=2, title="身份验证器二维码")
    return svg


def base32_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps expect it typed in, in groups of four."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def new_recovery_codes(user: Any) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT fresh ones; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [f"{secrets.randbelow(10**10):010d}" for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify_code(user: Any, code: str) -> Device | None:
    """The confirmed device that accepts `code`: six digits are an authenticator's code, ten a
    recovery code (which is then gone). Only the matching kind is tried, so a wrong code counts once
    towards django-otp's throttling of that device."""
    from django.db import transaction

    code = "".join(code.split())
    if not code.isdigit() or len(code) not in (6, 10):
        return None
    recovery = len(code) == 10
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if isinstance(device, StaticDevice) == recovery and device.verify_token(code):
                return device
    return None
