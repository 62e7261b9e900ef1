from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    LOW = "low", _("轻")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("重")
    CRITICAL = "critical", _("严重")


class ConventionVersion(models.Model):
    """One published text of the community convention (社区公约).

    Reports, findings and penalties record the version in force, so a later edit of the
    convention never changes what an old decision was based on.
    """

    version = models.CharField(_("版本"), max_length=20, unique=True)
    title = models.CharField(_("标题"), max_length=100)
    summary = models.TextField(_("导言"), blank=True)
    is_current = models.BooleanField(_("现行版本"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公约版本")
        verbose_name_plural = _("公约版本")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_convention")
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"


class RuleCategory(models.Model):
    convention = models.ForeignKey(ConventionVersion, on_delete=models.CASCADE, related_name="categories")
    number = models.PositiveSmallIntegerField(_("类别编号"))
    name = models.CharField(_("类别名称"), max_length=30)

    class Meta:
        verbose_name = _("公约类别")
        verbose_name_plural = _("公约类别")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["convention", "number"], name="unique_category_per_convention")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Rule(models.Model):
    """One item of the convention, coded `category.item` (for example 3.4)."""

    convention = models.ForeignKey(ConventionVersion, on_delete=models.CASCADE, related_name="rules")
    category = models.ForeignKey(RuleCategory, on_delete=models.CASCADE, related_name="rules")
    code = models.CharField(_("条款编号"), max_length=10)
    title = models.CharField(_("条款名称"), max_length=60)
    text = models.TextField(_("条款内容"))
    severity = models.CharField(_("默认严重程度"), max_length=10, choices=Severity.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("公约条款")
        verbose_name_plural = _("公约条款")
        ordering = ["category__number", "position"]
        constraints = [models.UniqueConstraint(fields=["convention", "code"], name="unique_rule_code_per_convention")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


def _user_link(verbose_name) -> models.ForeignKey:
    """An optional link to the account that did something; the row outlives the account."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=verbose_name,
    )


class TermAction(models.TextChoices):
    """What a lexicon hit does to the verdict (mirrors the scanner's actions)."""

    BLOCK = "block", _("拦截")
    REVIEW = "review", _("人工复核")
    FLAG = "flag", _("仅标记")


class Term(models.Model):
    """One lexicon entry the scanner matches (after normalisation) in titles and bodies.

    The rule is kept as its code (``3.4``) rather than a foreign key: codes are stable
    across convention versions, while Rule rows belong to one version. Terms are never
    deleted through the site — a disabled term keeps the history of what it matched.
    """

    term = models.CharField(_("词条"), max_length=50)
    rule_code = models.CharField(_("公约条款"), max_length=10)
    action = models.CharField(_("处理方式"), max_length=10, choices=TermAction.choices, default=TermAction.REVIEW)
    whole_word = models.BooleanField(
        _("整词匹配"), default=False, help_text=_("只在分词结果中是完整词语时命中，例如“小三”不命中“小三角”。")
    )
    contexts = models.JSONField(
        _("放行语境"),
        default=list,
        blank=True,
        help_text=_("命中处附近出现这些词语时不算违规，例如“加微信”的语境“官方”。"),
    )
    enabled = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = _user_link(_("添加人"))
    updated_by = _user_link(_("修改人"))
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("词条")
        verbose_name_plural = _("词库")
        ordering = ["rule_code", "term"]
        constraints = [models.UniqueConstraint(fields=["term", "rule_code"], name="unique_term_per_rule")]
        indexes = [models.Index(fields=["enabled", "rule_code"], name="term_enabled_rule")]

    def __str__(self) -> str:
        return gettext("%(term)s（%(rule)s）") % {"term": self.term, "rule": self.rule_code}


class LexiconState(models.Model):
    """A single row whose ``version`` goes up with every change of the lexicon.

    Workers compare it with the version of the lexicon they built and rebuild when it
    moved (moderation.lexicon). Version 0 means no term was ever stored: the seed file is used.
    ``stamp`` is new at every change, so a database restored to an older copy (or a test
    rolled back) never makes a worker mistake another lexicon for the one it built.
    """

    version = models.PositiveIntegerField(default=0)
    stamp = models.CharField(max_length=32, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("词库版本")
        verbose_name_plural = _("词库版本")

    def __str__(self) -> str:
        return f"v{self.version}"


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
    convention_version = models.CharField(_("公约版本"), max_length=20, blank=True)
    simhash = models.CharField(_("SimHash"), max_length=16, blank=True)
    owner = _user_link(_("发布者"))
    resolved_by = _user_link(_("处理人"))
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


class AuditEntry(models.Model):
    """Append-only log of what people (and the system, actor None) did. Any app may write it
    through moderation.services.audit_record; rows are never changed or deleted."""

    actor = _user_link(_("操作人"))
    action = models.CharField(_("操作"), max_length=64)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("对象"), max_length=200, blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            models.Index(fields=["action"], name="audit_action"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("操作记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("操作记录只能追加，不能删除。")
