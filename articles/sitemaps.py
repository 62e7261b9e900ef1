"""The sitemap (/sitemap.xml): published articles, tags and authors with published
articles, and the public static pages."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from accounts.models import User
from articles.models import Article, ArticleStatus, Tag

# Pages every visitor can open; a page another part of the site has not built yet is left
# out rather than listed as a dead link.
STATIC_PAGES = ["/", "/convention/", "/feedback/", "/become-author/", "/search/"]


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 5000

    def items(self):
        return Article.objects.public().only("slug", "updated_at").order_by("-id")

    def lastmod(self, item: Article):
        return item.updated_at


class TagSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return (
            Tag.objects.filter(articles__status=ArticleStatus.PUBLISHED, articles__held=False)
            .annotate(last_published=Max("articles__published_at"))
            .order_by("slug")
        )

    def location(self, item: Tag) -> str:
        return reverse("articles:tag", kwargs={"slug": item.slug})

    def lastmod(self, item: Tag):
        return item.last_published


class AuthorSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return (
            User.objects.filter(is_active=True, articles__status=ArticleStatus.PUBLISHED, articles__held=False)
            .annotate(last_published=Max("articles__published_at"))
            .only("username")
            .order_by("username")
        )

    def location(self, item: User) -> str:
        return reverse("articles:author", kwargs={"username": item.username})

    def lastmod(self, item: User):
        return item.last_published


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
