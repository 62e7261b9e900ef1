"""A database that is away answers 503 with a readable message, never a traceback.

Django turns an exception into a 500 inside whichever layer raised it (a view, the session
middleware, the authentication middleware…), so no single try/except sees them all.
Instead `got_request_exception` (sent for every uncaught exception, with the exception
still being handled) marks the request, and this middleware — the outermost — swaps the
500 for a 503: JSON under /api/, a standalone page elsewhere (no database, no context
processors). The broken connection is closed at the end of the request
(CONN_HEALTH_CHECKS), so the next request reconnects: the web processes recover by
themselves once the database is back.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
_MARK = "_reliability_database_unavailable"


def note_database_error(sender, request=None, **kwargs) -> None:
    """got_request_exception receiver: remember that this request failed on the database."""
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_ERRORS):
        setattr(request, _MARK, True)


def database_unavailable_response(request) -> HttpResponse:
    message = _("数据库暂时无法连接，请稍后再试。你提交的内容没有保存，请稍后重新提交。")
    if request.path.startswith("/api/"):
        # Written as characters, not escapes: the message is for a person to read.
        response = JsonResponse(
            {"detail": message, "code": "service_unavailable"}, status=503, json_dumps_params={"ensure_ascii": False}
        )
    else:
        language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        html = render_to_string("reliability/503.html", {"message": message, "LANGUAGE_CODE": language})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, _MARK, False):
            return database_unavailable_response(request)
        return response
