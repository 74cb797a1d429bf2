"""Redirects (重定向) per department: Wagtail's redirect admin, scoped to the user's sites.

Wagtail checks only the model permissions of a redirect (any site, "all sites" included). Here its
permission policy is Wagtail's SitePermissionPolicy: a permission given to a group for a site
(GroupSitePermission, as provisioning grants it to a department's editors and site administrators)
covers that site's redirects only, and a permission given globally (the platform administrator, a
superuser) covers every redirect. The views at Wagtail's own addresses (admin_scope.admin_urlpatterns)
list, open, change and delete only those redirects (another department's id is not found), offer
only those sites (no "all sites"), and leave importing to platform-wide users.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from wagtail.admin.widgets.button import Button
from wagtail.contrib.redirects import views as redirect_views
from wagtail.contrib.redirects.filters import RedirectsReportFilterSet
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site
from wagtail.permission_policies.sites import SitePermissionPolicy

ACTIONS = ["add", "change", "delete"]
CODENAMES = [f"{action}_redirect" for action in ACTIONS]


# Registered in wagtail_hooks (loaded after every app's ready, so after Wagtail's own); used here
# directly, so the scoping never depends on whether the hooks were loaded yet.
POLICY = SitePermissionPolicy(Redirect)


def platform_wide(user: Any) -> bool:
    """A superuser or a holder of a global redirect permission: every site and "all sites"."""
    return bool(user.is_active and any(user.has_perm(f"wagtailredirects.{name}") for name in CODENAMES))


def redirect_sites(user: Any) -> QuerySet[Site]:
    sites: QuerySet[Site] = POLICY.sites_user_has_any_permission_for(user, ACTIONS)
    return sites.order_by("hostname")


def visible_redirects(user: Any) -> QuerySet[Redirect]:
    redirects: QuerySet[Redirect] = Redirect.objects.all()
    return redirects if platform_wide(user) else redirects.filter(site__in=redirect_sites(user))


class ScopedRedirectsFilterSet(RedirectsReportFilterSet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.filters["site"].queryset = redirect_sites(self.request.user)


class ScopedIndexView(redirect_views.IndexView):
    filterset_class = ScopedRedirectsFilterSet

    def get_base_queryset(self) -> QuerySet[Redirect]:
        queryset: QuerySet[Redirect] = super().get_base_queryset()
        return queryset.filter(pk__in=visible_redirects(self.request.user).values("pk"))

    @property
    def header_more_buttons(self) -> list[Button]:
        buttons: list[Button] = super().header_more_buttons
        if platform_wide(self.request.user):
            return buttons
        return [button for button in buttons if "import" not in (button.url or "")]


class ScopedFormMixin:
    """The site to choose is one of the user's (required unless platform-wide: no "all sites")."""

    request: HttpRequest

    def get_form(self, form_class: Any = None) -> Form:
        form: Form = super().get_form(form_class)  # type: ignore[misc]
        if not platform_wide(self.request.user):
            site = form.fields["site"]
            site.queryset = redirect_sites(self.request.user)  # type: ignore[attr-defined]
            site.required = True
            site.empty_label = None  # type: ignore[attr-defined]
            if site.queryset.count() == 1:  # type: ignore[attr-defined]
                site.initial = site.queryset.first()  # type: ignore[attr-defined]
        return form


class ScopedRowMixin:
    """A redirect loaded by id is checked like the list that shows it: another's is not found."""

    request: HttpRequest

    def get_queryset(self) -> QuerySet[Redirect]:
        return visible_redirects(self.request.user)


class ScopedCreateView(ScopedFormMixin, redirect_views.CreateView):
    pass


class ScopedEditView(ScopedRowMixin, ScopedFormMixin, redirect_views.EditView):
    pass


class ScopedDeleteView(ScopedRowMixin, redirect_views.DeleteView):
    pass


def platform_only(view: Any) -> Any:
    """Importing a file of redirects (for any site or all sites) is for platform-wide users."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not platform_wide(request.user):
            raise PermissionDenied
        response: HttpResponse = view(request, *args, **kwargs)
        return response

    return wrapped


def urlpatterns() -> list[Any]:
    """At Wagtail's addresses (admin/redirects/…): admin_scope.admin_urlpatterns lists them first."""
    from django.urls import path

    return [
        path("redirects/", ScopedIndexView.as_view()),
        path("redirects/results/", ScopedIndexView.as_view(results_only=True)),
        path("redirects/add/", ScopedCreateView.as_view()),
        path("redirects/<int:redirect_id>/", ScopedEditView.as_view()),
        path("redirects/<int:redirect_id>/delete/", ScopedDeleteView.as_view()),
        path("redirects/import/", platform_only(redirect_views.start_import)),
        path("redirects/import/process/", platform_only(redirect_views.process_import)),
    ]
