"""Users in a given role, built with the real role groups (accounts.services.user_roles_set)."""

from django.utils import timezone

from accounts import roles
from accounts.models import User
from accounts.services import user_roles_set
from tests.factories import UserFactory

# Every signed-in role also holds the reader role, as the demo accounts and sign-up do.
ROLE_GROUPS = {
    "reader": [roles.READER],
    "author": [roles.READER, roles.AUTHOR],
    "editor": [roles.READER, roles.EDITOR],
    "moderator": [roles.READER, roles.MODERATOR],
    "admin": [roles.READER, roles.ADMIN],
}


def user_in_role(role: str, **fields) -> User:
    fields.setdefault("email_verified_at", timezone.now())
    user = UserFactory(**fields)
    return user_roles_set(user=user, role_names=ROLE_GROUPS[role])
