"""Pages of a list (home, tag, author and search pages): `?page=N`, a readable Chinese
pager, and a 404 that says which pages exist when N is past the end.

Each page costs two queries whatever the list's length: the count and the page's rows
(Django's Paginator), plus what the caller's queryset prefetches. The count is capped
(CappedPaginator): it stops at COUNT_CAP rows, or at the rows before the page asked for
when that is further, so its cost follows the page's OFFSET and not the list's length. A
list longer than the cap shows its known pages and "第 1 / 100+ 页"; its last known page
links to the next one.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination


class PageMissing(Exception):
    """`?page=` names no page of this list; `message` says which ones exist."""

    def __init__(self, message: str, last: int):
        super().__init__(message)
        self.message = message
        self.last = last


# Rows a list's count reads at most (beyond the rows before the page asked for).
COUNT_CAP = 1000


class CappedPage(Page):
    def has_next(self) -> bool:
        return super().has_next() or (self.number == self.paginator.num_pages and self.paginator.more)

    def next_page_number(self) -> int:
        # The page after the last one counted exists when the count stopped at its cap.
        return self.number + 1 if self.has_next() else super().next_page_number()


class CappedPaginator(Paginator):
    """A Paginator whose count of a queryset stops at `cap` rows (`more`: there are others)."""

    def __init__(self, object_list, per_page, *, cap: int = COUNT_CAP):
        super().__init__(object_list, per_page)
        self.cap = cap
        self.more = False

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return super().count
        # SELECT COUNT(*) FROM (SELECT … LIMIT cap + 1): reads cap + 1 rows at most.
        found = self.object_list[: self.cap + 1].count()
        self.more = found > self.cap
        return min(found, self.cap)

    def _get_page(self, *args, **kwargs) -> Page:
        return CappedPage(*args, **kwargs)


class CappedPageNumberPagination(PageNumberPagination):
    """The API's ?page= with the capped count: `count` stops at COUNT_CAP (or at the rows
    before the page asked for), and `count_capped` says whether there are more."""

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param, "1")
        asked = int(raw) if raw.isdigit() and len(raw) < 7 else 1
        page_size = self.get_page_size(request) or 1
        cap = max(COUNT_CAP, asked * page_size)
        self.django_paginator_class = lambda object_list, per_page: CappedPaginator(object_list, per_page, cap=cap)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.more
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count"]["description"] = "结果数，最多数到 1,000 条（或所请求页之前的条数）"
        schema["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "为 true 时实际结果比 count 多：按 next 继续翻页",
        }
        return schema


def paginate(request: HttpRequest, object_list, per_page: int) -> Page:
    """The page `?page=` asks for (the first without it), or PageMissing."""
    raw = request.GET.get("page", "1").strip() or "1"
    asked = int(raw) if raw.isdigit() and len(raw) < 7 else 1
    # Count far enough to know whether the page asked for exists, and a page past it.
    paginator = CappedPaginator(object_list, per_page, cap=max(COUNT_CAP, asked * per_page))
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
