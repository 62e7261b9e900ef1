"""Reads for the articles app."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from articles.models import Article, ArticleStatus


def article_list_published() -> QuerySet[Article]:
    return (
        Article.objects.filter(status=ArticleStatus.PUBLISHED).select_related("author").order_by("-published_at", "-id")
    )


def article_get_published(*, slug: str) -> Article:
    return get_object_or_404(Article.objects.select_related("author"), slug=slug, status=ArticleStatus.PUBLISHED)
