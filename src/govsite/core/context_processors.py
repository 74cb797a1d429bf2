from django.http import HttpRequest
from wagtail.models import Site


def current_site(request: HttpRequest) -> dict[str, Site | None]:
    """The Wagtail site answering this request (None when no site matches)."""
    return {"current_site": Site.find_for_request(request)}
