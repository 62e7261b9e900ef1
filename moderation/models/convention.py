"""The community convention (社区公约): versions, categories and rules."""

from django.db import models
from django.db.models import Q
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
