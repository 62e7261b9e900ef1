"""Pages of a list (home, tag, author and search pages): `?page=N`, a readable Chinese
pager, and a 404 that says which pages exist when N is past the end.

Each page costs two queries whatever the list's length: the count and the page's rows
(Django's Paginator), plus what the caller's queryset prefetches.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class PageMissing(Exception):
    """`?page=` names no page of this list; `message` says which ones exist."""

    def __init__(self, message: str, last: int):
        super().__init__(message)
        self.message = message
        self.last = last


def paginate(request: HttpRequest, object_list, per_page: int) -> Page:
    """The page `?page=` asks for (the first without it), or PageMissing."""
    paginator = Paginator(object_list, per_page)
    raw = request.GET.get("page", "1").strip() or "1"
    try:
        return paginator.page(raw)
    except PageNotAnInteger:
        raise PageMissing(_("页码“%(page)s”不是数字。") % {"page": raw[:12]}, paginator.num_pages) from None
    except EmptyPage:
        if paginator.count == 0:
            message = _("这里还没有文章，所以没有第 %(page)s 页。") % {"page": raw[:12]}
        else:
            message = _("没有第 %(page)s 页：这里一共只有 %(total)s 页。") % {
                "page": raw[:12],
                "total": paginator.num_pages,
            }
        raise PageMissing(message, paginator.num_pages) from None


def page_missing_response(request: HttpRequest, missing: PageMissing) -> HttpResponse:
    """A 404 page that names the pages that do exist and links to the first and the last."""
    context = {"message": missing.message, "last": missing.last}
    return render(request, "includes/page_missing.html", context, status=404)
