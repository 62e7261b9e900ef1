"""Template helpers to show scan findings highlighted in place.

{% load moderation_tags %}
{% highlighted article.body findings "body" %}      the whole text, hits marked
{% finding_excerpts article.body findings "body" %}  only passages around the hits
"""

from django import template
from django.utils.translation import gettext_lazy as _

from moderation.highlight import excerpts, highlight

register = template.Library()


@register.inclusion_tag("moderation/includes/highlighted.html")
def highlighted(text, findings, field="body"):
    return {"segments": highlight(text, findings, field)}


@register.inclusion_tag("moderation/includes/excerpts.html")
def finding_excerpts(text, findings, field="body", context=30):
    return {"passages": excerpts(text, findings, field, int(context))}


DETECTOR_NAMES = {
    "lexicon": _("词库"),
    "link": _("链接"),
    "contact": _("联系方式"),
    "vocabulary": _("词汇"),
    "stuffing": _("关键词堆砌"),
    "clickbait": _("标题党"),
    "near_duplicate": _("重复发布"),
    "model": _("统计模型"),
}


@register.filter
def detector_label(value: str) -> str:
    """The detector's Chinese name (unknown detectors keep their code)."""
    return DETECTOR_NAMES.get(value, value)


@register.filter
def lookup(mapping, key):
    return mapping.get(key, "") if mapping else ""


@register.filter
def verdict_label(value: str) -> str:
    """allow/review/block → 通过/待复核/拦截."""
    from moderation.models import Verdict

    try:
        return Verdict(value).label
    except ValueError:
        return value


@register.filter
def severity_label(value: str) -> str:
    """low/medium/high/critical → 轻/中/重/严重."""
    from moderation.models import Severity

    try:
        return Severity(value).label
    except ValueError:
        return value


@register.filter
def step_label(value) -> str:
    """A penalty step (0–5) → 警告 … 封禁账号."""
    from moderation.models import PenaltyStep

    try:
        return PenaltyStep(int(value)).label
    except (TypeError, ValueError):
        return ""


def _rule_titles_for(context) -> dict[str, str]:
    """Rule code → title in the convention in force: one query per request (kept on the
    request, so every include of one page shares it), one per render without a request."""
    from moderation.models import Rule

    given = context.get("rule_titles")
    if isinstance(given, dict):
        return given  # the view looked them up already
    choices = context.get("rule_choices")
    if choices:
        # The lexicon's rule filter: (code, "code title") pairs.
        return {code: label[len(code) :].strip() for code, label in choices}
    request = context.get("request")
    titles = getattr(request, "_moderation_rule_titles", None) if request is not None else None
    if titles is None:
        titles = dict(Rule.objects.filter(convention__is_current=True).values_list("code", "title"))
        if request is not None:
            request._moderation_rule_titles = titles
    return titles


@register.simple_tag(takes_context=True)
def rule_name(context, code) -> str:
    """A rule as people read it: "3.4 欺骗性外链" (a code the convention lacks stays bare)."""
    code = str(code or "")
    title = _rule_titles_for(context).get(code, "")
    return f"{code} {title}" if title else code


@register.filter
def action_label(value: str) -> str:
    """block/review/flag → 拦截/人工复核/仅标记."""
    from moderation.models import TermAction

    try:
        return TermAction(value).label
    except ValueError:
        return value


@register.filter
def audit_label(code: str) -> str:
    """An audit action code → its Chinese name (moderation.audit_labels)."""
    from moderation.audit_labels import audit_action_label

    return audit_action_label(str(code or ""))
