"""Refuse text that no person typed, before any view runs (MIDDLEWARE, after the session,
locale and authentication middleware, so the refusal page has the site's chrome).

PostgreSQL text columns cannot hold NUL (U+0000): a NUL in an address (/authors/x%00/), a
query parameter (the lexicon and audit filters) or a form field (a comment, a hide
reason) made the database raise, and the visitor got a 500. Nothing legitimate contains
one, nor a lone UTF-16 surrogate (only a JSON \\ud800 escape can produce it, and it cannot
be stored as UTF-8), nor bytes that are not UTF-8 (Django quietly turns them into U+FFFD).
So this middleware answers all of them with a 400 and a sentence saying what was wrong,
for every view at once, instead of each view and service defending itself.

What it inspects: the path, the raw query string, and the body of URL-encoded forms,
multipart forms (the text fields and the file names — never a file's content, which is
binary and may hold any byte) and JSON. It also turns Django's refusals of an oversized or
over-long body (RequestDataTooBig, TooManyFieldsSent) into the same readable answer,
instead of the bare "Bad Request (400)".
"""

import re
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from cms.error_views import error_response

# A JSON \uXXXX escape preceded by an even number of backslashes (so it is an escape, not
# an escaped backslash followed by "u"), with its hex digits.
_JSON_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u([0-9a-fA-F]{4})")
JSON_TYPES = ("application/json",)
FORM_TYPE = "application/x-www-form-urlencoded"
MULTIPART_TYPE = "multipart/form-data"


class BadInput(Exception):
    """One problem with the request, described for a person."""


def _where_field(name: str) -> str:
    return _("字段“%(name)s”") % {"name": name[:40]}


def _check_text(value: str, where: str) -> None:
    if "\x00" in value:
        raise BadInput(_("%(where)s含有空字符（U+0000），这不是能保存的文字。") % {"where": where})
    if "\ufffd" in value:
        # Only multipart fields get here with U+FFFD: Django put it in place of bytes
        # that were not UTF-8.
        raise BadInput(_("%(where)s含有无法识别的字符（不是有效的 UTF-8 编码）。") % {"where": where})


def _check_bytes(value: bytes, where: str) -> None:
    if b"\x00" in value:
        raise BadInput(_("%(where)s含有空字符（U+0000），这不是能保存的文字。") % {"where": where})
    try:
        value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(_("%(where)s含有无法识别的字符（不是有效的 UTF-8 编码）。") % {"where": where}) from exc


def _check_urlencoded(raw: bytes, *, what: str) -> None:
    """Each name and value of `a=1&b=2`, percent-decoded to bytes (before Django decodes
    them with errors="replace", which would hide invalid UTF-8)."""
    for pair in raw.split(b"&"):
        if not pair:
            continue
        name, _sep, value = pair.partition(b"=")
        name_bytes = unquote_to_bytes(name.replace(b"+", b" "))
        label = name_bytes.decode("utf-8", "replace").replace("\x00", "")
        where = _("%(what)s“%(name)s”") % {"what": what, "name": label[:40]}
        _check_bytes(name_bytes, where)
        _check_bytes(unquote_to_bytes(value.replace(b"+", b" ")), where)


def _check_json(raw: bytes) -> None:
    where = _("提交的 JSON 内容")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(_("%(where)s含有无法识别的字符（不是有效的 UTF-8 编码）。") % {"where": where}) from exc
    _check_text(text.replace("\ufffd", ""), where)  # a literal U+FFFD in valid UTF-8 is real text
    pending_high = None  # end offset of a high surrogate escape waiting for its low half
    for match in _JSON_ESCAPE.finditer(text):
        code = int(match.group(2), 16)
        start = match.start() + len(match.group(1))
        if pending_high is not None:
            if start == pending_high and 0xDC00 <= code <= 0xDFFF:
                pending_high = None
                continue
            break
        if code == 0:
            raise BadInput(_("%(where)s含有空字符（\\u0000），这不是能保存的文字。") % {"where": where})
        if 0xD800 <= code <= 0xDBFF:
            pending_high = match.end()
        elif 0xDC00 <= code <= 0xDFFF:
            break
    else:
        if pending_high is None:
            return
    raise BadInput(_("%(where)s含有不成对的代理字符（如 \\ud800），这不是有效的文字。") % {"where": where})


def inspect_request(request: HttpRequest) -> None:
    """Raise BadInput for the first problem found; RequestDataTooBig and the like as Django raises them."""
    _check_text(request.path_info.replace("\ufffd", ""), _("网址"))
    query = request.META.get("QUERY_STRING", "")
    if query:
        # WSGI hands the query string over as bytes decoded with Latin-1.
        _check_urlencoded(query.encode("latin-1", "replace"), what=_("网址参数"))
        request.GET  # noqa: B018 — parsed here, so Django's field-count limit answers here
    content_type = request.content_type or ""
    if content_type == FORM_TYPE:
        _check_urlencoded(request.body, what=_("表单字段"))
        request.POST  # noqa: B018 — as for GET above
    elif content_type == MULTIPART_TYPE:
        for name, values in request.POST.lists():
            for value in values:
                _check_text(name, _where_field(name))
                _check_text(value, _where_field(name))
        for name, upload in request.FILES.items():
            _check_text(upload.name or "", _("上传文件“%(name)s”的文件名") % {"name": name[:40]})
    elif content_type in JSON_TYPES or content_type.endswith("+json"):
        _check_json(request.body)


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            inspect_request(request)
        except BadInput as problem:
            message = _("%(problem)s内容没有保存，请修改后再提交。") % {"problem": problem}
            return error_response(request, status=400, message=message)
        except RequestDataTooBig:
            limit_mb = f"{(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) / 1024 / 1024:.1f}".removesuffix(".0")
            message = _("提交的内容太大了（文字部分最多约 %(mb)s MB），没有保存。请删减后再提交。") % {"mb": limit_mb}
            return error_response(request, status=413, message=message, title=_("提交的内容太大了"))
        except (TooManyFieldsSent, TooManyFilesSent):
            message = _("表单里的字段或文件太多了，没有保存。请检查后再提交。")
            return error_response(request, status=400, message=message)
        except MultiPartParserError:
            message = _("表单数据的格式有误，没有保存。请刷新页面后重新提交。")
            return error_response(request, status=400, message=message)
        return self.get_response(request)
