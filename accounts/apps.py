from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户")

    def ready(self) -> None:
        from accounts.roles import roles_sync
        from accounts.signals import record_sign_in

        # For every app: its permissions are created by the auth app's handler, which runs first.
        post_migrate.connect(roles_sync, dispatch_uid="accounts.roles_sync")
        user_logged_in.connect(record_sign_in, dispatch_uid="accounts.record_sign_in")

        from accounts.models import User
        from accounts.moderation import UserAdapter
        from moderation.registry import registry

        registry.register(User, UserAdapter)
