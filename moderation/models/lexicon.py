"""The lexicon the scanner matches, and the version stamp workers rebuild on."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from moderation.models.base import user_link


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
    created_by = user_link(_("添加人"))
    updated_by = user_link(_("修改人"))
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("词条")
        verbose_name_plural = _("词库")
        ordering = ["rule_code", "term"]
        constraints = [models.UniqueConstraint(fields=["term", "rule_code"], name="unique_term_per_rule")]
        indexes = [models.Index(fields=["enabled", "rule_code"], name="term_enabled_rule")]

    def __str__(self) -> str:
        # The term alone: screens name its rule with the rule's title next to it
        # ({% rule_name %}), which a bare "（9.4）" here would not give.
        return self.term


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
