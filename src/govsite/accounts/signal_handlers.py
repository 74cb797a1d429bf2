"""Reserved usernames are refused for new accounts however they are made (admin, shell, ORM); every
new account's first password is dated in its history."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .models import PasswordHistory
from .policy import RESERVED_USERNAME_MESSAGE, is_reserved_username


@receiver(pre_save, sender=get_user_model())
def refuse_reserved_username(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    """E5: no `admin`/`root` accounts. Renaming an existing account to one is refused too."""
    if kwargs.get("raw"):
        return
    name = instance.get_username()
    if not is_reserved_username(name):
        return
    if not instance._state.adding:
        stored = sender.objects.filter(pk=instance.pk).values_list(sender.USERNAME_FIELD, flat=True).first()
        if stored == name:
            return  # an existing account keeps working until an administrator renames it
    raise ValidationError(RESERVED_USERNAME_MESSAGE, code="reserved_username")


@receiver(post_save, sender=get_user_model())
def date_first_password(sender: type[Any], instance: Any, created: bool, **kwargs: Any) -> None:
    """create_user() stores a hash without set_password(), so Django's password_changed() (which the
    history validator records) never runs for it: the first password is recorded here. A password set
    with set_password() is recorded by password_changed() right after this save."""
    if created and not kwargs.get("raw") and instance._password is None and instance.has_usable_password():
        PasswordHistory.objects.create(user=instance, password=instance.password)
