from typing import Any

from django.http import HttpRequest

from .registry import ELDER, STANDARD


def version(request: HttpRequest) -> dict[str, Any]:
    """The current version, and this page's address in each version (for the header switch)."""
    current = getattr(request, "govsite_version", STANDARD)
    path = request.get_full_path()
    return {
        "govsite_version": current,
        "standard_url": path,
        "elder_url": ELDER.prefix + path,
    }
