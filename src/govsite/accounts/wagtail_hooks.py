from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from wagtail import hooks

from . import views


@hooks.register("register_admin_urls")
def register_account_security_urls() -> list[URLPattern]:
    return [
        path("security/two-factor/", views.two_factor_setup, name="govsite_two_factor_setup"),
        path("security/two-factor/verify/", views.two_factor_verify, name="govsite_two_factor_verify"),
        path("security/password-expired/", views.password_expired, name="govsite_password_expired"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request: HttpRequest) -> dict[str, str]:
    """The account page offers binding a new phone (and new recovery codes) to a verified session."""
    return {
        "url": reverse("govsite_two_factor_setup"),
        "label": "身份验证器",
        "help_text": "更换手机或恢复码用完时，重新绑定身份验证器并生成新的恢复码。",
    }
