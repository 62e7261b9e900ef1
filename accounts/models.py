from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """The platform's account. Roles are Django groups (accounts.roles)."""

    pen_name = models.CharField(_("笔名"), max_length=50, blank=True)
    bio = models.TextField(_("简介"), blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def display_name(self) -> str:
        return self.pen_name or self.get_full_name() or self.username
