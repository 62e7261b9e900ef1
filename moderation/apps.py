from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("社区治理")

    def ready(self) -> None:
        from moderation.scanner import configure

        # Cheap: only tells the scanner where jieba keeps its dictionary cache; jieba itself
        # loads once per process, on first use.
        configure(cache_dir=Path(str(settings.YUMAO_VAR_DIR)) / "jieba")
