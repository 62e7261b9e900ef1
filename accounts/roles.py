"""The platform's roles (PRODUCT §2). Each role is a Django group of the same name."""

READER = "reader"
AUTHOR = "author"
EDITOR = "editor"
MODERATOR = "moderator"
ADMIN = "admin"

ROLES = (READER, AUTHOR, EDITOR, MODERATOR, ADMIN)


def roles_sync(**kwargs) -> None:
    """Make sure every role's group exists (post_migrate).

    The data migration creates them on a new database; this also restores them after a
    flush (which the test suite does between transactional tests).
    """
    from django.contrib.auth.models import Group

    for name in ROLES:
        Group.objects.get_or_create(name=name)
