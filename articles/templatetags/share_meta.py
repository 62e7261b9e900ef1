"""{% load share_meta %}: absolute addresses for the share metadata of the article page.

    {% site_absolute article.get_absolute_url as page_url %} → "https://yumao.example/a/…/"

Absolute from SITE_URL (not the request's host), so a link shared from a preview or a
proxy still names the public site.
"""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_absolute(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path or ""
    return settings.SITE_URL.rstrip("/") + path
