"""Route /elder/… to the same views as /…, remembering which version was asked for."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .registry import split_version


class VersionPrefixMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        version, path_info = split_version(request.path_info)
        # Read back with getattr(request, "govsite_version", STANDARD): not an HttpRequest attribute.
        setattr(request, "govsite_version", version)  # noqa: B010
        if version.prefix:
            request.path_info = path_info
            request.path = request.META.get("SCRIPT_NAME", "").rstrip("/") + path_info
        return self.get_response(request)
