"""Writes for the accounts app."""

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from accounts.roles import ADMIN


@transaction.atomic
def user_ensure_demo(*, username: str, password: str, roles: list[str], email: str, pen_name: str = "") -> User:
    """Create a demo account, or reset an existing one to its demo state (idempotent)."""
    user, _ = User.objects.get_or_create(username=username, defaults={"email": email})
    user.email = email
    user.pen_name = pen_name
    user.is_active = True
    user.is_staff = ADMIN in roles
    user.is_superuser = ADMIN in roles
    user.set_password(password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    return user
