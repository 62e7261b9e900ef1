"""Covers from the image library in templates.

    {% load article_images %}
    {% cover_image article "thumb" %}   → <img srcset=… sizes=…> (nothing when no cover)
    {% cover_url article "og" as url %} → absolute URL of a rendition (Open Graph, feeds)

Variants: "thumb" (list items), "card" (featured cards), "hero" (the article page).
The article's cover_image must be loaded with it (select_related("cover_image")): the
list selectors and the article page's query do, so a cover costs no query. An article
whose cover predates the library (Article.cover, written before migration 0008) shows
that file as it is.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.html import format_html

register = template.Library()

# (sizes, the width the plain src falls back to, eager loading)
VARIANTS = {
    "thumb": ("(max-width: 40rem) 30vw, 10rem", 480, False),
    "card": ("(max-width: 40rem) 100vw, 22rem", 480, False),
    "hero": ("(max-width: 44rem) 100vw, 44rem", 960, True),
}
OG_WIDTH = 1600


def _pick(renditions: list[dict], width: int) -> dict:
    return next((r for r in renditions if r["width"] >= width), renditions[-1])


@register.simple_tag
def cover_image(article, variant: str = "thumb", css_class: str = ""):
    sizes, fallback_width, eager = VARIANTS.get(variant, VARIANTS["thumb"])
    css = f"cover cover-{variant} {css_class}".strip()
    image = getattr(article, "cover_image", None) if getattr(article, "cover_image_id", None) else None
    if image is None:
        legacy = getattr(article, "cover", None)
        if legacy:
            return format_html('<img class="{}" src="{}" alt="" loading="lazy">', css, legacy.url)
        return ""
    alt = image.alt or ""
    loading = "eager" if eager else "lazy"
    if not image.renditions:
        return format_html(
            '<img class="{}" src="{}" width="{}" height="{}" alt="{}" loading="{}" decoding="async">',
            css,
            image.file.url,
            image.width,
            image.height,
            alt,
            loading,
        )
    src = default_storage.url(_pick(image.renditions, fallback_width)["name"])
    srcset = ", ".join(f"{default_storage.url(r['name'])} {r['width']}w" for r in image.renditions)
    return format_html(
        '<img class="{}" src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}"'
        ' decoding="async">',
        css,
        src,
        srcset,
        sizes,
        image.width,
        image.height,
        alt,
        loading,
    )


@register.simple_tag
def cover_url(article, variant: str = "og") -> str:
    """Absolute URL of the cover (the rendition nearest 1600 px wide), or ""."""
    image = getattr(article, "cover_image", None) if getattr(article, "cover_image_id", None) else None
    if image is not None:
        path = default_storage.url(_pick(image.renditions, OG_WIDTH)["name"]) if image.renditions else image.file.url
    elif getattr(article, "cover", None):
        path = article.cover.url
    else:
        return ""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path
