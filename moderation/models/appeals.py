"""Appeals (申诉): a penalised person asks a moderator who did not decide the case to look
again. One appeal per penalty (a database constraint), within MODERATION_APPEAL_DAYS of
the decision; the review is a conversation that ends in uphold, reduce or overturn.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from moderation.models.base import user_link
from moderation.models.penalties import Penalty


class AppealStatus(models.TextChoices):
    OPEN = "open", _("待审核")
    WAITING = "waiting", _("等待申诉人回复")
    DECIDED = "decided", _("已有结果")


class AppealOutcome(models.TextChoices):
    UPHOLD = "uphold", _("维持原处罚")
    REDUCE = "reduce", _("减轻处罚")
    OVERTURN = "overturn", _("撤销处罚")


class Appeal(models.Model):
    """One person's appeal of one penalty.

    ``evidence`` is what the appeal was about, frozen when it was filed: the case's own
    snapshot of the content (Case.evidence), the rule's title and text in the convention
    version then in force, and the penalty as decided — so the record stays whole whatever
    later happens to the content, the convention or the penalty row.
    ``tracking_number`` is what the person quotes and looks up (the feedback page's
    numbers share its format). ``link_nonce`` is set when the appeal came through the
    one-time link e-mailed to a banned account: that link is then spent.
    """

    penalty = models.ForeignKey(Penalty, on_delete=models.CASCADE, related_name="appeals", verbose_name=_("处罚"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals", verbose_name=_("申诉人")
    )
    tracking_number = models.CharField(_("受理编号"), max_length=20, unique=True)
    text = models.TextField(_("申诉理由"))
    status = models.CharField(_("状态"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.OPEN)
    evidence = models.JSONField(_("申诉时的证据"), default=dict, blank=True)
    via_link = models.BooleanField(_("通过邮件链接提交"), default=False)
    link_nonce = models.CharField(max_length=32, blank=True)
    outcome = models.CharField(_("申诉结果"), max_length=10, choices=AppealOutcome.choices, blank=True)
    decided_by = user_link(_("审核人"))
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审核理由"), blank=True)
    new_step = models.PositiveSmallIntegerField(_("减轻后的处罚"), null=True, blank=True)
    replacement = models.ForeignKey(
        Penalty,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("减轻后的处罚记录"),
    )
    content_restored = models.BooleanField(_("内容已恢复"), default=False)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["penalty"],
                name="one_appeal_per_penalty",
                violation_error_message=_("这项处罚已经申诉过了，每项处罚只能申诉一次。"),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="appeal_queue"),
            models.Index(fields=["user", "created_at"], name="appeal_user"),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_decided(self) -> bool:
        return self.status == AppealStatus.DECIDED


class AppealMessageRole(models.TextChoices):
    MODERATOR = "moderator", _("审核员")
    APPELLANT = "appellant", _("申诉人")


class AppealMessage(models.Model):
    """One turn of the conversation on an appeal (the moderator asks, the person answers).

    The moderator's name is not shown to the person: ``role`` is what they see.
    """

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="messages", verbose_name=_("申诉"))
    author = user_link(_("发言人"))
    role = models.CharField(_("身份"), max_length=10, choices=AppealMessageRole.choices)
    text = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申诉沟通")
        verbose_name_plural = _("申诉沟通")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["appeal", "created_at"], name="appeal_message_thread")]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.role}"
