from django.urls import URLPattern, path
from wagtail import hooks

from . import views


@hooks.register("register_admin_urls")
def register_account_security_urls() -> list[URLPattern]:
    return [
        path("security/two-factor/", views.two_factor_setup, name="govsite_two_factor_setup"),
        path("security/two-factor/verify/", views.two_factor_verify, name="govsite_two_factor_verify"),
        path("security/password-expired/", views.password_expired, name="govsite_password_expired"),
    ]
