"""Versions of the scanner's statistical stage (the text model), and the stamp workers load on.

Each trained model is a row: what it was trained from, how big it is, how well it did,
the model itself and its content hash. At most one version is active; activating or
rolling back is a moderator's action after a dry run (moderation.services.text_models),
and moves ``TextModelState.stamp`` so every worker loads the new model on its next scan
(moderation.text_model). Versions are never deleted.

The model is stored in the row (a BinaryField of a few MB) rather than as a file: it
is backed up, restored and replicated with the database, every worker on every host
reads it over the connection it already has, and a version row can never point at a
file that another host does not have or that was cleaned away.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from moderation.models.base import user_link


class TextModelStatus(models.TextChoices):
    CANDIDATE = "candidate", _("候选")
    ACTIVE = "active", _("使用中")
    RETIRED = "retired", _("已停用")
    REJECTED = "rejected", _("未采用")


class TextModelOrigin(models.TextChoices):
    SHIPPED = "shipped", _("随项目发布")
    COMMAND = "command", _("训练命令")
    WEEKLY = "weekly", _("每周重训")


class TextModelVersion(models.Model):
    """One trained text model.

    ``sources``: what it was trained from, a list of ``{"kind": "seeds"|"file"|"decisions",
    "name": …, "items": n, …}`` (a file also keeps its path and how it was read, so the
    weekly task can train from the same sources again). ``sizes``: items per category,
    features, bytes. ``figures``: ``{"cv": {...}, "eval": {name: {...}}}`` in the shape of
    moderation.scanner.training (macro_f1, per_category, clean_false_positive_rate).
    """

    number = models.PositiveIntegerField(_("版本号"), unique=True)
    created_at = models.DateTimeField(_("训练时间"), auto_now_add=True)
    created_by = user_link(_("训练人"))
    origin = models.CharField(
        _("来源"), max_length=10, choices=TextModelOrigin.choices, default=TextModelOrigin.COMMAND
    )
    sources = models.JSONField(_("训练数据"), default=list, blank=True)
    sizes = models.JSONField(_("规模"), default=dict, blank=True)
    figures = models.JSONField(_("评估结果"), default=dict, blank=True)
    content_hash = models.CharField(_("内容指纹"), max_length=64, unique=True)
    data = models.BinaryField(_("模型数据"))
    size_bytes = models.PositiveIntegerField(_("大小（字节）"), default=0)
    status = models.CharField(
        _("状态"), max_length=10, choices=TextModelStatus.choices, default=TextModelStatus.CANDIDATE
    )
    status_reason = models.TextField(_("状态说明"), blank=True)
    # The ISO week a weekly retraining ran for ("2026-W49"): one version per week at most.
    week = models.CharField(_("训练周"), max_length=10, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    activated_at = models.DateTimeField(_("启用时间"), null=True, blank=True)
    activated_by = user_link(_("启用人"))

    class Meta:
        verbose_name = _("文本模型版本")
        verbose_name_plural = _("文本模型版本")
        ordering = ["-number"]
        permissions = [("activate_textmodelversion", _("启用或回滚文本模型版本"))]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="active"), name="one_active_text_model"),
            models.UniqueConstraint(fields=["week"], condition=~Q(week=""), name="one_text_model_per_week"),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]

    @property
    def is_active(self) -> bool:
        return self.status == TextModelStatus.ACTIVE


class TextModelDryRun(models.Model):
    """One dry run of a version against the model active at the time (what it would
    newly flag and stop flagging on the newest public items). Activation needs a dry run
    of the same version by the same person against the same active version."""

    version = models.ForeignKey(
        TextModelVersion, on_delete=models.CASCADE, related_name="dry_runs", verbose_name=_("模型版本")
    )
    # The version it was compared with (None: no model was active, the shipped default or none).
    baseline = models.ForeignKey(
        TextModelVersion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("对照版本"),
    )
    actor = user_link(_("操作人"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    summary = models.JSONField(_("结果"), default=dict, blank=True)

    class Meta:
        verbose_name = _("文本模型试运行")
        verbose_name_plural = _("文本模型试运行")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["version", "actor", "-created_at"], name="textmodel_dry_run")]

    def __str__(self) -> str:
        return f"v{self.version.number} dry run {self.created_at:%Y-%m-%d %H:%M}"


class TextModelState(models.Model):
    """A single row naming the active version; ``stamp`` is new at every switch.

    Workers compare the stamp with the one of the model they loaded (moderation.text_model)
    and load again when it moved. No row, or ``active`` None: the shipped default model.
    """

    active = models.ForeignKey(
        TextModelVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("使用中")
    )
    stamp = models.CharField(max_length=32, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("文本模型状态")
        verbose_name_plural = _("文本模型状态")

    def __str__(self) -> str:
        return f"active={self.active_id}"
