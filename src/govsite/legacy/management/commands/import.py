"""`govsite import`: the documented spelling of `govsite import_site` (`import` is a Python keyword)."""

from .import_site import Command

__all__ = ["Command"]
