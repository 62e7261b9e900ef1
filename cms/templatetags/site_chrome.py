"""{% site_header %} and {% site_footer %}: the chrome of base.html, rendered once per process.

A visitor's header and everyone's footer are the same on every page but for two things: the
CSRF token (masked anew for each response) and the current path (the `next` of the sign-in
link and of the language switch). They are rendered once per language with markers in those
two places, and each page fills the markers in, escaped exactly as the template would.
A signed-in reader's header (their name, what their permissions open) is rendered for each
page. With DEBUG on, everything is rendered for each page, so template edits show at once.
"""

import re

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import urlencode
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

HEADER_TEMPLATE = "includes/site_header.html"
FOOTER_TEMPLATE = "includes/site_footer.html"

# Markers that escaping leaves alone; URL-encoding turns the path's "?" into "%3F", so the
# raw and the URL-encoded path are told apart.
_CSRF_MARK = "yumaochromemarkcsrftoken"
_PATH_MARK = "yumaochromemark?fullpath"

# How each marker is filled in, given the real CSRF token and full path.
_FILLERS = {
    _CSRF_MARK: lambda token, path: escape(token),
    _PATH_MARK: lambda token, path: escape(path),
    urlencode(_PATH_MARK): lambda token, path: escape(urlencode(path)),
}
_MARKS = re.compile("(" + "|".join(re.escape(mark) for mark in _FILLERS) + ")")

# What the CSRF context processor gives when the page has no request to make a token for.
_NO_CSRF = "NOTPROVIDED"

_memo: dict[tuple, list[str]] = {}


@receiver(setting_changed)
def _forget_chrome(**kwargs) -> None:
    """A changed setting (in tests: languages, templates, site name) may change the chrome."""
    _memo.clear()


class _MarkedRequest:
    """Stands in for the request while the chrome is rendered with markers."""

    def get_full_path(self) -> str:
        return _PATH_MARK


def _render(context, name: str) -> str:
    with context.push():
        return context.template.engine.get_template(name).render(context)


def _chrome(context, name: str) -> SafeString:
    request = context.get("request")
    csrf = context.get("csrf_token")
    if settings.DEBUG or request is None or not csrf or csrf == _NO_CSRF:
        # Rendered without a request (no token to fill in): as the template would.
        return mark_safe(_render(context, name))  # noqa: S308 — rendered by the template engine
    key = (name, get_language(), get_script_prefix(), context.get("SITE_NAME"), context.get("SUBMISSION_EMAIL"))
    cut = _memo.get(key)
    if cut is None:
        with context.push(csrf_token=_CSRF_MARK, request=_MarkedRequest()):
            html = _render(context, name)
        # Fixed pieces at even places, markers at odd ones.
        cut = _MARKS.split(html)
        _memo[key] = cut
    token, path = str(csrf), request.get_full_path()
    out = [piece if index % 2 == 0 else _FILLERS[piece](token, path) for index, piece in enumerate(cut)]
    return mark_safe("".join(out))  # noqa: S308 — fixed markup from the template, values escaped above


@register.simple_tag(takes_context=True)
def site_header(context) -> SafeString:
    user = context.get("user")
    if user is not None and user.is_authenticated:
        return mark_safe(_render(context, HEADER_TEMPLATE))  # noqa: S308 — rendered by the template engine
    return _chrome(context, HEADER_TEMPLATE)


@register.simple_tag(takes_context=True)
def site_footer(context) -> SafeString:
    return _chrome(context, FOOTER_TEMPLATE)
