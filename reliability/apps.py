from django.apps import AppConfig
from django.core.signals import got_request_exception
from django.utils.translation import gettext_lazy as _


class ReliabilityConfig(AppConfig):
    name = "reliability"
    verbose_name = _("可靠性")

    def ready(self) -> None:
        from reliability import checks  # noqa: F401 — registers the system checks
        from reliability.middleware import note_database_error

        got_request_exception.connect(note_database_error, dispatch_uid="reliability.note_database_error")
