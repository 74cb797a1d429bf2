from django.conf import settings
from django.http import HttpRequest
from wagtail.models import Site


def current_site(request: HttpRequest) -> dict[str, Site | None]:
    """The Wagtail site answering this request (None when no site matches)."""
    return {"current_site": Site.find_for_request(request)}


def platform_name(request: HttpRequest) -> dict[str, str]:
    """The platform's configured name (GOVSITE_PLATFORM_NAME), which the admin shows instead of Wagtail."""
    return {"platform_name": settings.WAGTAIL_SITE_NAME}
