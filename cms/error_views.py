"""Error answers outside the views: JSON under /api/, a page in the site's chrome elsewhere.

Used by Django's handler400/403/404/500 (cms.urls) and by cms.input_guard, so an API
client never gets an HTML page and a reader never gets a bare "Bad Request (400)".
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def json_error(message: str, *, status: int) -> JsonResponse:
    """`{"detail": message}`, with the Chinese as characters (as DRF writes it), not \\u escapes."""
    return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})


def with_retry_after(response: HttpResponse, retry_after: int | None) -> HttpResponse:
    """Tell the client when to try again (a form's 429; the API's comes from cms.api)."""
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def error_response(request: HttpRequest, *, status: int, message: str, title: str | None = None) -> HttpResponse:
    """`message` (a sentence a person can read) as JSON for the API, as a page for the site."""
    if is_api_request(request):
        return json_error(message, status=status)
    context = {"title": title or _("提交的内容无法处理"), "message": message}
    return render(request, "400.html", context, status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    # Django's own 400s (a disallowed host, a broken multipart body…) carry no message
    # meant for readers: say what happened in general terms.
    return error_response(request, status=400, message=_("请求无法处理：内容或格式有误，没有保存任何东西。"))


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api_request(request):
        message = str(exception) if exception and str(exception) else _("你没有执行这个操作的权限。")
        return json_error(message, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api_request(request):
        return json_error(_("没有这个接口地址：%(path)s。接口列表见 /api/docs/。") % {"path": request.path}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return json_error(_("服务器出错了，我们已经记录了这个问题，请稍后再试。"), status=500)
    return defaults.server_error(request)
