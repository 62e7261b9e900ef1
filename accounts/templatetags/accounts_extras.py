from django import template

from accounts.selectors import author_application_pending_for

register = template.Library()


@register.simple_tag
def pending_author_application(user):
    """The user's application under review, if any — for pages rendered by other apps
    (the /submit/ notice) that do not pass it in their context."""
    return author_application_pending_for(user)
