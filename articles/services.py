"""Writes for the articles app."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleStatus


@transaction.atomic
def article_seed_published(
    *,
    slug: str,
    title: str,
    summary: str,
    body: str,
    source: str,
    byline: str,
    author: AbstractBaseUser | None,
    featured: bool = False,
) -> Article:
    """Create or refresh a published demo article (used by seed_demo only; idempotent by slug)."""
    article, _ = Article.objects.get_or_create(
        slug=slug,
        defaults={
            "title": title,
            "summary": summary,
            "body": body,
            "source": source,
            "byline": byline,
            "author": author,
            "featured": featured,
            "status": ArticleStatus.PUBLISHED,
            "published_at": timezone.now(),
        },
    )
    return article
