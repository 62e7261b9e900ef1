"""Reads of the image library."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from articles.images.models import Image, ImageUse

LIBRARY_PAGE_SIZE = 60


def images_for_owner(*, user) -> QuerySet[Image]:
    """The owner's library, newest first, with where each image is used (two queries
    for a page, whatever its length)."""
    uses = ImageUse.objects.select_related("article").only(
        "id", "image_id", "role", "article__id", "article__title", "article__status", "article__slug"
    )
    return (
        Image.objects.live()
        .filter(owner=user)
        .prefetch_related(Prefetch("uses", queryset=uses.order_by("article_id")))
        .order_by("-created_at", "-id")
    )


def image_thumb_url(image: Image) -> str:
    """The smallest rendition (the master until the renditions exist)."""
    from django.core.files.storage import default_storage

    return default_storage.url(image.renditions[0]["name"]) if image.renditions else image.file.url
