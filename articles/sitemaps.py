"""The sitemaps: an index at /sitemap.xml naming one sitemap per section and page
(/sitemap-articles.xml, /sitemap-articles.xml?p=2, …, /sitemap-tags.xml,
/sitemap-authors.xml, /sitemap-pages.xml), each page under the protocol's 50,000 URLs.

Published articles, tags and authors with published articles, and the public static pages.

A page's cost does not grow with the site: articles, tags and authors are paged by ranges
of their primary key (page N holds the rows whose id is in ((N-1)·limit, N·limit]), so a
page is one range scan of the primary key and the number of pages one MAX(id), never a
COUNT and never an OFFSET. A range can hold fewer rows than the limit (drafts, removed
rows), never more, so every published article is on exactly one page, and an article keeps
its page as the site grows. Tags and authors are those with a published article (an EXISTS
probe per row of the range, through the tag and author indexes), without a join over every
article; they carry no lastmod, which would need that join.
"""

from __future__ import annotations

import math

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import index as index_view
from django.contrib.sitemaps.views import sitemap as section_view
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Exists, Max, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.views.decorators.http import require_GET

from accounts.models import User
from articles import cache as page_cache
from articles.models import Article, Tag

# Pages every visitor can open; a page another part of the site has not built yet is left
# out rather than listed as a dead link.
STATIC_PAGES = ["/", "/convention/", "/feedback/", "/become-author/", "/search/"]
# URLs per sitemap page, far under the protocol's 50,000 (and 50 MB): a page costs what its
# URLs cost to render (about half a millisecond each), so a small page keeps every page as
# quick at a million articles as at a thousand; the index grows by one line per thousand.
SITEMAP_LIMIT = 1000


class _RangePage:
    def __init__(self, object_list):
        self.object_list = object_list


class IdRangePaginator:
    """What Django's sitemap views ask of a paginator (`num_pages`, `page(n).object_list`),
    with page N the rows of `queryset` whose id lies in ((N-1)·per_page, N·per_page]."""

    def __init__(self, queryset, per_page: int):
        self.queryset = queryset
        self.per_page = per_page

    @property
    def num_pages(self) -> int:
        # MAX(id) over the whole table: the end of the primary key index, one row read.
        top = self.queryset.model._default_manager.aggregate(top=Max("id"))["top"] or 0
        return max(1, math.ceil(top / self.per_page))

    def page(self, number) -> _RangePage:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(number) from None
        if number < 1 or number > self.num_pages:
            raise EmptyPage(number)
        low = (number - 1) * self.per_page
        rows = self.queryset.filter(id__gt=low, id__lte=low + self.per_page).order_by("id")
        return _RangePage(list(rows))


class _RangeSitemap(Sitemap):
    limit = SITEMAP_LIMIT

    @property
    def paginator(self):
        return IdRangePaginator(self.items(), self.limit)

    def get_latest_lastmod(self):
        # Django's default reads every item; the index does without a date instead.
        return None


class ArticleSitemap(_RangeSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.public().only("id", "slug", "updated_at")

    def lastmod(self, item: Article):
        return item.updated_at


class TagSitemap(_RangeSitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        public = Article.objects.public().filter(tags=OuterRef("pk"))
        return Tag.objects.filter(Exists(public)).only("id", "slug")

    def location(self, item: Tag) -> str:
        return reverse("articles:tag", kwargs={"slug": item.slug})


class AuthorSitemap(_RangeSitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        public = Article.objects.public().filter(author=OuterRef("pk"))
        return User.objects.filter(Exists(public), is_active=True).only("id", "username")

    def location(self, item: User) -> str:
        return reverse("articles:author", kwargs={"username": item.username})


class StaticPageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.3

    def items(self) -> list[str]:
        pages = []
        for path in STATIC_PAGES:
            try:
                resolve(path)
            except (Resolver404, NoReverseMatch):
                continue
            pages.append(path)
        return pages

    def location(self, item: str) -> str:
        return item


SITEMAPS = {
    "articles": ArticleSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "pages": StaticPageSitemap,
}


@require_GET
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: every section's pages (cached like the lists)."""
    return page_cache.list_page(
        request,
        "sitemap-index",
        lambda: index_view(request, sitemaps=SITEMAPS, sitemap_url_name="articles:sitemap-section").render(),
    )


@require_GET
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """/sitemap-<section>.xml?p=N: one page of one section (cached like the lists)."""
    if section not in SITEMAPS:
        raise Http404("no such sitemap section")
    return page_cache.list_page(
        request,
        f"sitemap:{section}",
        lambda: section_view(request, sitemaps=SITEMAPS, section=section).render(),
        page_param="p",
    )


def robots_txt(request: HttpRequest) -> HttpResponse:
    """/robots.txt: the sitemap index, and the screens that are nobody's search result."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /editor/",
        "Disallow: /moderation/",
        "Disallow: /accounts/",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
