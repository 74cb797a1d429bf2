"""`govsite create-admins`: the documented spelling of `govsite create_admins`."""

from .create_admins import Command

__all__ = ["Command"]
