"""Penalties (违规处罚): warnings, mutes of 1, 7 or 15 days, permanent mutes, bans."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from moderation.models.base import user_link
from moderation.models.cases import Case


class PenaltyStep(models.IntegerChoices):
    """The ladder of PRODUCT §5; the policy (moderation.penalty_policy) proposes a step."""

    WARNING = 0, _("警告")
    MUTE_1_DAY = 1, _("禁言 1 天")
    MUTE_7_DAYS = 2, _("禁言 7 天")
    MUTE_15_DAYS = 3, _("禁言 15 天")
    MUTE_PERMANENT = 4, _("永久禁言")
    BAN = 5, _("封禁账号")


class PenaltyStatus(models.TextChoices):
    ACTIVE = "active", _("生效中")
    ENDED = "ended", _("已结束")
    LIFTED = "lifted", _("已解除")
    # Ended by an appeal (moderation.services.appeals): overturned, or replaced by a lighter one.
    OVERTURNED = "overturned", _("申诉撤销")
    REDUCED = "reduced", _("申诉减轻")


class Penalty(models.Model):
    """One penalty on one account, and the record of a confirmed violation.

    A mute is in force while ``status`` is active and ``expires_at`` is in the future (or
    None: permanent). Whether someone is muted is decided from ``expires_at`` at the moment
    of the check, so a late expiry task never over-punishes; the task only marks the row
    ended and tells the user, once. ``counts`` says whether it still counts in the user's
    history for the policy (a lifted or overturned penalty does not).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="penalties", verbose_name=_("用户")
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="penalties", verbose_name=_("案件")
    )
    step = models.PositiveSmallIntegerField(_("处罚"), choices=PenaltyStep.choices)
    rule_code = models.CharField(_("违反条款"), max_length=10)
    convention_version = models.CharField(_("公约版本"), max_length=20, blank=True)
    reason = models.TextField(_("处理理由"))
    status = models.CharField(_("状态"), max_length=10, choices=PenaltyStatus.choices, default=PenaltyStatus.ACTIVE)
    counts = models.BooleanField(_("计入违规记录"), default=True)
    starts_at = models.DateTimeField(_("开始时间"))
    expires_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("实际结束时间"), null=True, blank=True)
    decided_by = user_link(_("处理人"))
    lifted_by = user_link(_("解除人"))
    lift_reason = models.TextField(_("解除理由"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("处罚")
        verbose_name_plural = _("处罚")
        ordering = ["-starts_at", "-id"]
        indexes = [
            # The expiry task's one query: active rows whose time has come, oldest first.
            models.Index(fields=["expires_at"], condition=Q(status="active"), name="penalty_due"),
            models.Index(fields=["user", "status"], name="penalty_user_status"),
            models.Index(fields=["user", "starts_at"], name="penalty_user_history"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.get_step_display()} {self.rule_code}"

    @property
    def is_mute(self) -> bool:
        return PenaltyStep.MUTE_1_DAY <= self.step <= PenaltyStep.MUTE_PERMANENT

    @property
    def is_ban(self) -> bool:
        return self.step == PenaltyStep.BAN
