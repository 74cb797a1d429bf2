"""Reserved usernames are refused for new accounts however they are made (admin, shell, ORM)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from django.dispatch import receiver

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
