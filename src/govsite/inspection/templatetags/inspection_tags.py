"""Template helpers of the 网站体检 screens."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    """`mapping[key]`, or None: the ranking's cell of one rule."""
    return mapping.get(key)
