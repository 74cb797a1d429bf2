"""网站体检 in the Wagtail admin menu, for the people who see at least one site's inspections."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .access import visible_sites


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("inspection/", include((views.urlpatterns, "govsite_inspection")))]


class InspectionMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return visible_sites(request.user).exists()


@hooks.register("register_admin_menu_item")
def inspection_menu_item() -> MenuItem:
    return InspectionMenuItem(
        "网站体检",
        reverse("govsite_inspection:index"),
        name="inspection",
        icon_name="doc-full-inverse",
        order=95,
    )
