import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from accounts.selectors import MUTED_PERMANENTLY, author_application_pending_for, notice_unread_count

register = template.Library()


@register.simple_tag
def pending_author_application(user):
    """The user's application under review, if any — for pages rendered by other apps
    (the /submit/ notice) that do not pass it in their context."""
    return author_application_pending_for(user)


@register.simple_tag
def unread_notice_count(user) -> int:
    """The header's unread badge. Called only in the signed-in branch of the header, so a
    visitor's memoised chrome (cms.templatetags.site_chrome) never runs it: one indexed
    COUNT per page for a signed-in user, none for a visitor."""
    return notice_unread_count(user)


@register.filter
def is_permanent(until: datetime.datetime | None) -> bool:
    """accounts.selectors.user_muted_until's answer for a permanent mute (shown as 永久禁言)."""
    return until == MUTED_PERMANENTLY


@register.filter
def time_left(until: datetime.datetime | None) -> str:
    """还剩 6 天 3 小时: what is left of a mute, counted now (at request time), in words."""
    if until is None:
        return ""
    seconds = int((until - timezone.now()).total_seconds())
    if seconds <= 0:
        return ""
    minutes = max(1, seconds // 60)  # a few seconds left still reads as 1 分钟
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d 天", "%(n)d 天", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d 小时", "%(n)d 小时", hours) % {"n": hours})
    if not days and minutes:
        parts.append(ngettext("%(n)d 分钟", "%(n)d 分钟", minutes) % {"n": minutes})
    return gettext("还剩 %(left)s") % {"left": " ".join(parts)}
