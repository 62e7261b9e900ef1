"""The appeals block of /accounts/me/ and the appeal figures of the transparency pages,
as inclusion tags, so the pages that show them need no view changes."""

from django import template

from moderation.appeal_selectors import appeal_stats_by_category, appeals_of, penalties_for_appeal

register = template.Library()


@register.inclusion_tag("moderation/feedback/includes/my_appeals.html")
def user_appeals(user):
    """The user's appeals with their status, and the penalties they may still appeal with
    the deadline of each."""
    if not user.is_authenticated:
        return {"appeals": [], "appealable": []}
    appeals = list(appeals_of(user))
    appealable = [item for item in penalties_for_appeal(user=user, own_appeals=appeals) if item.appealable]
    return {"appeals": appeals[:20], "appealable": appealable}


@register.inclusion_tag("moderation/feedback/includes/appeal_figures.html")
def appeal_figures():
    return {"rows": appeal_stats_by_category()}


@register.filter
def waiting_age(since) -> str:
    """How long something has waited, in the words a Chinese reader expects (“3 天”, “5 小时”)."""
    from django.utils import timezone
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    if not since:
        return ""
    seconds = max(0, int((timezone.now() - since).total_seconds()))
    days, hours = seconds // 86400, seconds // 3600
    if days:
        return ngettext("%(n)s 天", "%(n)s 天", days) % {"n": days}
    if hours:
        return ngettext("%(n)s 小时", "%(n)s 小时", hours) % {"n": hours}
    return _("不到 1 小时")
