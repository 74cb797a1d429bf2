"""`govsite otp-code`: the documented spelling of `govsite otp_code`."""

from .otp_code import Command

__all__ = ["Command"]
