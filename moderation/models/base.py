"""Small pieces every moderation model uses."""

from django.conf import settings
from django.db import models


def user_link(verbose_name) -> models.ForeignKey:
    """An optional link to the account that did something; the row outlives the account."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=verbose_name,
    )
