"""API plumbing shared by every app: errors as JSON a person can read."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from cms.errors import StateConflict


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("当前状态不允许这个操作。")
    default_code = "conflict"


def exception_handler(exc, context):
    """Map service-layer errors to HTTP: bad input 400, not allowed 403, wrong state 409.

    Every error body carries `detail`, a sentence a person can read.
    """
    if isinstance(exc, StateConflict):
        exc = Conflict(str(exc))
    elif isinstance(exc, DjangoValidationError):
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(messages)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" not in response.data:
        # Field errors: keep them, and add one readable sentence on top.
        first = next(iter(response.data.values()), None)
        if isinstance(first, list) and first:
            first = first[0]
        response.data = {"detail": str(first) if first else _("提交的内容有误。"), "errors": response.data}
    return response
