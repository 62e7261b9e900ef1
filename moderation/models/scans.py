"""Scans of moderated objects and their findings."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from moderation.models.base import user_link
from moderation.models.lexicon import TermAction


class Verdict(models.TextChoices):
    ALLOW = "allow", _("通过")
    REVIEW = "review", _("待复核")
    BLOCK = "block", _("拦截")


class ScanStatus(models.TextChoices):
    """Where a scan record stands with the people who handle it."""

    CLEAR = "clear", _("无需处理")
    OPEN = "open", _("待处理")
    ESCALATED = "escalated", _("已转交治理")
    DISMISSED = "dismissed", _("已放行")
    REMOVED = "removed", _("已删除")


UNRESOLVED_STATUSES = (ScanStatus.OPEN, ScanStatus.ESCALATED)


class ResolverRole(models.TextChoices):
    """In which capacity a person resolved a scan: editors may dismiss an article in their
    own review once (moderation.services.scan_resolve); moderators decide everything."""

    EDITOR = "editor", _("编辑")
    MODERATOR = "moderator", _("审核员")


class ScanRecord(models.Model):
    """The scan of one version of one moderated object (any model in moderation.registry).

    Keyed by the content hash: scanning the same content again updates this record and
    replaces its findings. ``is_latest`` marks the record of the object's newest scan,
    which is what the queue, the editors' screens and ``is_blocked`` look at. Reports and
    cases of a later issue attach to the same (content type, object id) target.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    content_hash = models.CharField(_("内容指纹"), max_length=64)
    verdict = models.CharField(_("结论"), max_length=10, choices=Verdict.choices)
    status = models.CharField(_("处理状态"), max_length=12, choices=ScanStatus.choices, default=ScanStatus.CLEAR)
    is_latest = models.BooleanField(default=True)
    held = models.BooleanField(_("已暂扣"), default=False)
    lexicon_version = models.PositiveIntegerField(_("词库版本"), default=0)
    # The number of the text model version that scanned it (0: the shipped default or none).
    model_version = models.PositiveIntegerField(_("模型版本"), default=0)
    convention_version = models.CharField(_("公约版本"), max_length=20, blank=True)
    simhash = models.CharField(_("SimHash"), max_length=16, blank=True)
    owner = user_link(_("发布者"))
    resolved_by = user_link(_("处理人"))
    resolved_as = models.CharField(_("处理身份"), max_length=10, choices=ResolverRole.choices, blank=True)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolution_reason = models.TextField(_("处理理由"), blank=True)
    created_at = models.DateTimeField(_("首次扫描"), auto_now_add=True)
    scanned_at = models.DateTimeField(_("最近扫描"), auto_now=True)

    class Meta:
        verbose_name = _("扫描记录")
        verbose_name_plural = _("扫描记录")
        ordering = ["-scanned_at", "-id"]
        permissions = [("moderate_content", _("处理社区治理队列"))]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "content_hash"], name="one_scan_per_content"),
            models.UniqueConstraint(
                fields=["content_type", "object_id"], condition=Q(is_latest=True), name="one_latest_scan_per_object"
            ),
        ]
        indexes = [
            models.Index(fields=["is_latest", "status", "verdict"], name="scan_queue"),
            models.Index(fields=["created_at"], name="scan_created"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.verdict}"

    @property
    def is_unresolved(self) -> bool:
        return self.status in UNRESOLVED_STATUSES


class Finding(models.Model):
    """One hit of the scanner. ``start``/``end`` index the ORIGINAL title or body text."""

    record = models.ForeignKey(ScanRecord, on_delete=models.CASCADE, related_name="findings")
    rule_code = models.CharField(_("公约条款"), max_length=10)
    category = models.PositiveSmallIntegerField(_("类别"))
    convention_version = models.CharField(_("公约版本"), max_length=20, blank=True)
    detector = models.CharField(_("检测器"), max_length=30)
    field = models.CharField(_("位置"), max_length=10)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    match = models.TextField(_("命中文字"))
    score = models.FloatField(_("分数"))
    action = models.CharField(_("处理方式"), max_length=10, choices=TermAction.choices)
    # Extra facts of some detectors, e.g. which records a near-duplicate resembles.
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("命中")
        verbose_name_plural = _("命中")
        ordering = ["record", "field", "start", "id"]

    def __str__(self) -> str:
        return f"{self.rule_code} {self.match[:20]}"
