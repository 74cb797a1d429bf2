"""`govsite nginx-config`: the documented spelling of `govsite nginx_config`."""

from .nginx_config import Command

__all__ = ["Command"]
