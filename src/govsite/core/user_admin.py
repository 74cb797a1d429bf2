"""Wagtail's user screens with 三员分立 (core/roles.py): a conflict of roles is a form error, and each
administrator changes only their own part of an account.

The system administrator (auth.add_user) edits accounts: names, e-mail, password, active; the security
administrator (auth.change_group) decides who holds which role (groups); only a superuser makes
superusers. The other fields are shown read-only. Installed through GovsiteUsersConfig (core/apps.py),
Wagtail's documented way to replace the user viewset.
"""

from __future__ import annotations

from typing import Any

from django import forms
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users

from .roles import ACCOUNT_FIELDS_PERMISSION, ROLE_FIELDS, ROLE_FIELDS_PERMISSION, check_roles


class RolesFormMixin(forms.ModelForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, for_user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if for_user is not None:
            self.limit_to(for_user)

    def limit_to(self, user: Any) -> None:
        for name, field in self.fields.items():
            if name == "is_superuser":
                allowed = user.is_superuser
            elif name in ROLE_FIELDS:
                allowed = user.has_perm(ROLE_FIELDS_PERMISSION)
            else:
                allowed = user.has_perm(ACCOUNT_FIELDS_PERMISSION)
            field.disabled = field.disabled or not allowed

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if "groups" in data:
            names = [group.name for group in data["groups"]]
            superuser = data.get("is_superuser", getattr(self.instance, "is_superuser", False))
            try:
                check_roles(names, is_superuser=bool(superuser))
            except forms.ValidationError as error:
                self.add_error("groups", error)
        return data


class GovsiteUserCreationForm(RolesFormMixin, UserCreationForm):
    pass


class GovsiteUserEditForm(RolesFormMixin, UserEditForm):
    pass


class FormForUser:
    request: Any

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["for_user"] = self.request.user
        return kwargs


class CreateView(FormForUser, users.CreateView):
    pass


class EditView(FormForUser, users.EditView):
    pass


class UserViewSet(users.UserViewSet):
    add_view_class = CreateView
    edit_view_class = EditView

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:  # type: ignore[type-arg]
        return GovsiteUserEditForm if for_update else GovsiteUserCreationForm
