from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户")

    def ready(self) -> None:
        from accounts.roles import roles_sync

        # For every app: its permissions are created by the auth app's handler, which runs first.
        post_migrate.connect(roles_sync, dispatch_uid="accounts.roles_sync")
