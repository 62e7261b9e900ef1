"""Reports (举报) and cases: everything said about one target gathered in one place.

A case is opened for a target (any registered model: an article, a comment, a user) by
the first report or the first scan that needs a person, and everything that arrives
while it is open joins it. A moderator decides it once; later reports open a new case.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from moderation.models.base import user_link
from moderation.models.scans import ScanRecord


class CaseStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    DECIDED = "decided", _("已处理")


class CaseDecision(models.TextChoices):
    """What a moderator decided. Every decision but ``dismiss`` confirms a violation."""

    DISMISS = "dismiss", _("不违规，驳回")
    REMOVE = "remove", _("删除内容")
    WARN = "warn", _("警告")
    PENALIZE = "penalize", _("处罚")


class Aggravation(models.TextChoices):
    """Circumstances that make a violation one step heavier each (PRODUCT §5)."""

    MINORS = "minors", _("涉及未成年人")
    CHEATING = "cheating", _("注册或使用账号时作弊")
    MULTI_ACCOUNT = "multi_account", _("利用多个账号")


class Case(models.Model):
    """One target's open business with the moderators.

    ``evidence`` is the content as it stood when the case was opened (title, text, URL,
    owner, kind), kept whatever later happens to the content, so a decision and an appeal
    can always show what was judged. ``priority`` orders the queue (services.cases explains
    the formula) and is recomputed whenever a report or a scan joins.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_cases",
        verbose_name=_("当事人"),
    )
    status = models.CharField(_("状态"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    priority = models.FloatField(_("优先级"), default=0)
    rule_code = models.CharField(_("主要条款"), max_length=10, blank=True)
    category = models.PositiveSmallIntegerField(_("类别"), null=True, blank=True)
    severity = models.CharField(_("严重程度"), max_length=10, blank=True)
    has_scan = models.BooleanField(_("来自扫描"), default=False)
    has_reports = models.BooleanField(_("来自举报"), default=False)
    reporter_count = models.PositiveIntegerField(_("举报人数"), default=0)
    scan_score = models.FloatField(_("扫描分数"), default=0)
    scan_record = models.ForeignKey(
        ScanRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases", verbose_name=_("扫描记录")
    )
    hidden_pending_review = models.BooleanField(_("举报后暂时隐藏"), default=False)
    evidence = models.JSONField(_("证据快照"), default=dict, blank=True)
    escalated = models.BooleanField(_("编辑已转交"), default=False)
    convention_version = models.CharField(_("公约版本"), max_length=20, blank=True)
    opened_at = models.DateTimeField(_("立案时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    decision = models.CharField(_("处理结果"), max_length=10, choices=CaseDecision.choices, blank=True)
    decided_by = user_link(_("处理人"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_rule = models.CharField(_("认定条款"), max_length=10, blank=True)
    decision_reason = models.TextField(_("处理理由"), blank=True)
    aggravations = models.JSONField(_("加重情节"), default=list, blank=True)
    proposed_step = models.PositiveSmallIntegerField(_("建议处罚"), null=True, blank=True)
    step = models.PositiveSmallIntegerField(_("实际处罚"), null=True, blank=True)
    step_reason = models.TextField(_("调整处罚的理由"), blank=True)
    # Whether the decision took the content down (a removal, or a warning or penalty with
    # removal): the transparency report counts removals from it.
    content_removed = models.BooleanField(_("已删除内容"), default=False)

    class Meta:
        verbose_name = _("治理案件")
        verbose_name_plural = _("治理案件")
        ordering = ["-priority", "opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(status="open"),
                name="one_open_case_per_target",
                violation_error_message=_("这个对象已经有一个待处理的案件。"),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-priority", "opened_at"], name="case_queue"),
            models.Index(fields=["content_type", "object_id"], name="case_target"),
            models.Index(fields=["subject", "status"], name="case_subject"),
            models.Index(fields=["decided_at"], name="case_decided"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.evidence.get('label', '')} {self.rule_code}".strip()

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    @property
    def source(self) -> str:
        if self.has_scan and self.has_reports:
            return "both"
        return "report" if self.has_reports else "scan"


class ReportStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("举报成立")
    REJECTED = "rejected", _("举报不成立")


class Report(models.Model):
    """One person's report of one target under one rule of the convention in force."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made", verbose_name=_("举报人")
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports", verbose_name=_("案件"))
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    rule_code = models.CharField(_("举报条款"), max_length=10)
    category = models.PositiveSmallIntegerField(_("类别"))
    convention_version = models.CharField(_("公约版本"), max_length=20)
    note = models.TextField(_("补充说明"), blank=True)
    # How much this reporter's word weighed when they reported (their past accuracy).
    weight = models.FloatField(_("举报权重"), default=1.0)
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    created_at = models.DateTimeField(_("举报时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "content_type", "object_id"],
                condition=Q(status="open"),
                name="one_open_report_per_reporter_target",
                violation_error_message=_("你已经举报过这条内容，处理结果会通知你。"),
            ),
        ]
        indexes = [
            models.Index(fields=["reporter", "status"], name="report_reporter"),
            models.Index(fields=["case"], name="report_case"),
        ]

    def __str__(self) -> str:
        return f"{self.reporter_id} → {self.content_type_id}:{self.object_id} {self.rule_code}"
