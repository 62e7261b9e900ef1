"""The API's session authentication (REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]).

DRF's TokenAuthentication comes first in that list: DRF answers an unauthenticated
request with 401 and a `WWW-Authenticate` header taken from the *first* class, and only
TokenAuthentication has one (with session authentication first, DRF answered 403). The browser's session still works —
it is tried when no token is sent — and still has its CSRF check.
"""

from django.utils.translation import gettext as _
from drf_spectacular.authentication import SessionScheme
from rest_framework import authentication, exceptions


class SessionAuthentication(authentication.SessionAuthentication):
    """The signed-in browser's session, with a Chinese message when the CSRF check fails."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as exc:
            raise exceptions.PermissionDenied(
                _("CSRF 校验失败：用浏览器会话调用接口时，请在 X-CSRFToken 请求头中带上 csrftoken Cookie 的值。")
            ) from exc


class SessionAuthenticationScheme(SessionScheme):
    """The schema's `cookieAuth` for this class too (drf-spectacular matches the exact class)."""

    target_class = "cms.authentication.SessionAuthentication"
