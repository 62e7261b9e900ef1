"""The author's image library: upload from the editor (JSON), the library page, the
editor's picker (an HTML fragment) and delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.ratelimit import RateLimited
from articles.images import selectors, services
from articles.images.models import Image
from cms.errors import StateConflict
from cms.text import join_sentences


def markdown_for(image: Image, alt: str = "") -> str:
    """The Markdown the editor inserts: the master's URL, which every Markdown viewer
    shows; the site's rendering recognises the key in it and adds the sizes."""
    text = (alt or image.alt or "").replace("[", "").replace("]", "").strip()
    return f"![{text}]({image.url})"


def _may_use_library(user) -> bool:
    return user.has_perm(services.PERM_SUBMIT) or user.has_perm(services.PERM_REVIEW)


def _json_error(message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"ok": False, "message": message, **extra}, status=status)


@login_required
@require_POST
def upload(request: HttpRequest) -> JsonResponse:
    """POST a file as `image` (multipart, with the CSRF token). Answers
    {"ok", "id", "key", "url", "markdown", "width", "height", "message"} or {"ok": false, "message"}."""
    upload = request.FILES.get("image")
    if upload is None:
        return _json_error(_("没有收到图片文件，请重新选择。"), 400)
    try:
        image = services.image_upload(actor=request.user, upload=upload, alt=request.POST.get("alt", ""))
    except PermissionDenied as error:
        return _json_error(str(error) or _("没有权限上传图片。"), 403)
    except RateLimited as error:
        response = _json_error(str(error), 429)
        if error.retry_after:
            response["Retry-After"] = str(error.retry_after)
        return response
    except ValidationError as error:
        return _json_error(join_sentences(error.messages), 400, code=error.code or "")
    # A prompt, not the file name ("IMG_0412"): the editor selects it so the author types the
    # description over it (static/js/images.js).
    alt = request.POST.get("alt", "").strip()[:80] or _("图片说明")
    return JsonResponse(
        {
            "ok": True,
            "id": image.pk,
            "key": image.key,
            "url": image.url,
            "thumb": selectors.image_thumb_url(image),
            "markdown": markdown_for(image, alt),
            "width": image.width,
            "height": image.height,
            "message": _("图片已上传（%(w)s×%(h)s），已插入正文。") % {"w": image.width, "h": image.height},
        }
    )


@login_required
def library(request: HttpRequest) -> HttpResponse:
    if not _may_use_library(request.user):
        return render(request, "accounts/submit_notice.html")
    page = Paginator(selectors.images_for_owner(user=request.user), selectors.LIBRARY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for image in page.object_list:
        image.thumb_url = selectors.image_thumb_url(image)
        image.markdown = markdown_for(image)
    return render(request, "articles/images/library.html", {"page": page, "images": page.object_list})


@login_required
def picker(request: HttpRequest) -> HttpResponse:
    """The library as a fragment for the editor's dialog: insert into the body, or set as cover."""
    if not _may_use_library(request.user):
        raise PermissionDenied(_("只有作者可以使用图片库。"))
    images = list(selectors.images_for_owner(user=request.user)[: selectors.LIBRARY_PAGE_SIZE])
    for image in images:
        image.thumb_url = selectors.image_thumb_url(image)
        image.markdown = markdown_for(image)
    return render(request, "articles/images/picker.html", {"images": images, "mode": request.GET.get("mode", "")})


@login_required
@require_POST
def delete(request: HttpRequest, key: str) -> HttpResponse:
    image = get_object_or_404(Image.objects.live(), key=key)
    try:
        services.image_delete(actor=request.user, image=image)
    except (PermissionDenied, StateConflict) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("图片已从图片库删除。"))
    return redirect("images:library")
