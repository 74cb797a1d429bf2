"""Types shared by the apps, for the type checker (`make typecheck`)."""

from django.contrib.auth.models import AnonymousUser, User

# Who a request is from, as django-stubs types `request.user` (AUTH_USER_MODEL is Django's User):
# Wagtail's permission policies and the platform's checks accept both.
RequestUser = User | AnonymousUser
