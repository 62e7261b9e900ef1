"""Template helpers to show scan findings highlighted in place.

{% load moderation_tags %}
{% highlighted article.body findings "body" %}      the whole text, hits marked
{% finding_excerpts article.body findings "body" %}  only passages around the hits
"""

from django import template

from moderation.highlight import excerpts, highlight

register = template.Library()


@register.inclusion_tag("moderation/includes/highlighted.html")
def highlighted(text, findings, field="body"):
    return {"segments": highlight(text, findings, field)}


@register.inclusion_tag("moderation/includes/excerpts.html")
def finding_excerpts(text, findings, field="body", context=30):
    return {"passages": excerpts(text, findings, field, int(context))}


@register.filter
def verdict_label(value: str) -> str:
    """allow/review/block → 通过/待复核/拦截."""
    from moderation.models import Verdict

    try:
        return Verdict(value).label
    except ValueError:
        return value
