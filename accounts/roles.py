"""The platform's roles (PRODUCT §2). Each role is a Django group of the same name.

ROLE_PERMISSIONS lists "app_label.codename" per role. Permissions of models that do not
exist yet are skipped, so each app adds its own lines when it adds the model; the groups
are brought up to date after every migrate (post_migrate → roles_sync).
"""

READER = "reader"
AUTHOR = "author"
EDITOR = "editor"
MODERATOR = "moderator"
ADMIN = "admin"

ROLES = (READER, AUTHOR, EDITOR, MODERATOR, ADMIN)

ROLE_PERMISSIONS: dict[str, set[str]] = {
    READER: {
        "articles.add_comment",
        "accounts.add_authorapplication",
        "moderation.add_report",
    },
    AUTHOR: {
        "articles.add_article",
        "articles.submit_article",
    },
    EDITOR: {
        "articles.view_article",
        "articles.change_article",
        "articles.review_article",
        "articles.unpublish_article",
        "accounts.review_authorapplication",
    },
    MODERATOR: {
        "articles.unpublish_article",
        "moderation.moderate_content",
        "accounts.view_signinrecord",  # accounts sharing an IP or browser (multi-account abuse)
        "moderation.view_term",
        "moderation.add_term",
        "moderation.change_term",
        "moderation.view_case",
        "moderation.view_penalty",
        "moderation.change_penalty",
        "moderation.view_appeal",
        "moderation.view_feedback",
        "moderation.change_feedback",  # the staff queue of suggestions and bugs, answered by e-mail
        "moderation.view_textmodelversion",
        "moderation.activate_textmodelversion",  # the scanner's model stage: dry run, activate, roll back
    },
    # Admins hold every permission (roles_sync gives the group all of them).
    ADMIN: set(),
}


def roles_sync(**kwargs) -> None:
    """Create the role groups and give each the permissions listed above (post_migrate).

    The data migration creates the groups on a new database; this keeps their
    permissions current as apps add models, and restores them after a flush (which the
    test suite does between transactional tests).
    """
    from django.contrib.auth.models import Group, Permission

    by_name = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
    }
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        if name == ADMIN:
            wanted = set(by_name.values())
        else:
            wanted = {by_name[perm] for perm in ROLE_PERMISSIONS[name] if perm in by_name}
        group.permissions.set(wanted)
