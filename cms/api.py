"""API plumbing shared by every app: errors as JSON a person can read."""

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.ratelimit import RateLimited
from cms.errors import StateConflict
from cms.text import join_sentences

# Keys under which DRF and the services put errors that belong to no one field.
_GENERAL_KEYS = frozenset({"detail", "non_field_errors", "__all__"})
# `detail` lists the first few problems; `errors` keeps every one, by field.
DETAIL_MAX_SENTENCES = 5


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("当前状态不允许这个操作。")
    default_code = "conflict"


class TooManyRequests(exceptions.APIException):
    """A service's RateLimited: its own message, and Retry-After with the seconds actually left."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = gettext_lazy("操作太频繁了，请稍后再试。")
    default_code = "throttled"

    def __init__(self, detail=None, *, wait: float | None = None):
        super().__init__(detail)
        # DRF's handler turns `wait` into the Retry-After header.
        self.wait = math.ceil(wait) if wait else None


def _location(path: tuple) -> str:
    """Where an error is, for a person: `tags` → “tags”, `tags.1` → “tags”第 2 项."""
    parts = [part for part in path if part not in _GENERAL_KEYS]
    if not parts:
        return ""
    text = ""
    for part in parts:
        if isinstance(part, int) or (isinstance(part, str) and part.isdigit()):
            text += _("第 %(n)s 项") % {"n": int(part) + 1}
        else:
            text += _("“%(field)s”") % {"field": part}
    return text


def error_sentences(errors, path: tuple = ()) -> list[str]:
    """DRF's nested error structure ({"tags": {1: ["…"]}}) as readable sentences."""
    if isinstance(errors, dict):
        return [sentence for key, value in errors.items() for sentence in error_sentences(value, (*path, key))]
    if isinstance(errors, list | tuple):
        if all(not isinstance(item, dict | list | tuple) for item in errors):
            return [sentence for item in errors for sentence in error_sentences(str(item), path)]
        return [sentence for index, item in enumerate(errors) for sentence in error_sentences(item, (*path, index))]
    message = str(errors)
    where = _location(path)
    return [_("%(where)s：%(message)s") % {"where": where, "message": message} if where else message]


_NOT_FOUND = gettext_lazy("找不到要访问的内容：它不存在、已被删除，或你没有查看的权限。")


def _translate(exc):
    """Service-layer and Django errors as DRF exceptions with Chinese messages."""
    if isinstance(exc, StateConflict):
        return Conflict(str(exc))
    if isinstance(exc, RateLimited):
        return TooManyRequests(str(exc), wait=getattr(exc, "retry_after", None))
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    # Django's Http404 messages are for developers ("No Article matches the given query.").
    if isinstance(exc, Http404) or (
        isinstance(exc, exceptions.NotFound) and str(exc.detail) == str(exceptions.NotFound.default_detail)
    ):
        return exceptions.NotFound(_NOT_FOUND)
    return exc


def exception_handler(exc, context):
    """Map service-layer errors to HTTP: bad input 400, not allowed 403, missing 404,
    wrong state 409, too often 429.

    Every error body carries `detail`, sentences a person can read; field errors are
    kept, as DRF nests them, under `errors`.
    """
    response = drf_exception_handler(_translate(exc), context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"} and not isinstance(data["detail"], dict | list):
        return response
    sentences = error_sentences(data)
    detail = join_sentences(sentences[:DETAIL_MAX_SENTENCES])
    if len(sentences) > DETAIL_MAX_SENTENCES:
        detail += _("另有 %(n)s 处问题，详见 errors。") % {"n": len(sentences) - DETAIL_MAX_SENTENCES}
    response.data = {"detail": detail or _("提交的内容有误。"), "errors": data}
    return response
