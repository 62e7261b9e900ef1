"""Markdown to safe HTML: markdown-it-py renders, nh3 keeps only harmless tags and links.

The site's own images (uploaded to the library, articles.images) are emitted with a
`srcset` of their renditions, `sizes`, `width`/`height` (no layout shift) and
`loading="lazy"`; any other image URL is left as the author wrote it (src, alt, title).
nh3 runs last and allows the extra attributes only with the values this module emits.
"""

import re

import nh3
from django.utils.html import escape
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
# What our own images carry beyond a foreign one's src/alt/title.
OWN_IMAGE_ATTRIBUTES = {"srcset", "sizes", "loading", "decoding", "width", "height"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", *OWN_IMAGE_ATTRIBUTES},
    "th": {"align"},
    "td": {"align"},
}
# The article column is 44rem wide at most (static/css/site.css --measure).
BODY_IMAGE_SIZES = "(max-width: 44rem) 100vw, 44rem"

# A rendition of a library image: MEDIA_URL may be a path (/media/) or a CDN's https:// address.
_SRCSET_CANDIDATE = re.compile(
    r"^(?:https?://[A-Za-z0-9.\-]+(?::\d+)?)?/[A-Za-z0-9/_.\-]*images/[0-9a-f]{2}/[0-9a-f]{32}/\d+\.webp \d+w$"
)


def _keep_own_attribute(tag: str, attribute: str, value: str):
    """nh3's attribute filter: the image attributes this module adds pass only in the
    exact shapes it writes them."""
    if tag != "img" or attribute not in OWN_IMAGE_ATTRIBUTES:
        return value
    if attribute in ("width", "height"):
        return value if value.isdigit() and len(value) <= 5 else None
    if attribute == "loading":
        return value if value == "lazy" else None
    if attribute == "decoding":
        return value if value == "async" else None
    if attribute == "sizes":
        return value if value == BODY_IMAGE_SIZES else None
    candidates = [part.strip() for part in value.split(",")]
    return value if candidates and all(_SRCSET_CANDIDATE.match(c) for c in candidates) else None


def _own_images(tokens) -> dict:
    """The library images the parsed Markdown shows, by key (one query; renditions made
    here for any image whose task has not run yet — the editor's preview cannot wait)."""
    from articles.images.services import image_ensure_renditions, images_by_key, keys_in_text

    sources = []
    for token in tokens:
        for child in token.children or ():
            if child.type == "image":
                sources.append(child.attrGet("src") or "")
    keys = keys_in_text("\n".join(sources))
    if not keys:
        return {}
    images = images_by_key(keys)
    for image in images.values():
        if not image.renditions:
            image_ensure_renditions(image=image)
    return images


def own_image_tag(image, *, alt: str, title: str = "", sizes: str = BODY_IMAGE_SIZES) -> str:
    """`<img>` for a library image: srcset of its renditions, the middle one as src."""
    from django.core.files.storage import default_storage

    renditions = image.renditions or []
    attrs = []
    if renditions:
        fallback = next((r for r in renditions if r["width"] >= 960), renditions[-1])
        attrs.append(("src", default_storage.url(fallback["name"])))
        srcset = ", ".join(f"{default_storage.url(r['name'])} {r['width']}w" for r in renditions)
        attrs += [("srcset", srcset), ("sizes", sizes)]
    else:
        attrs.append(("src", image.file.url))
    attrs += [("alt", alt or image.alt), ("width", str(image.width)), ("height", str(image.height))]
    if title:
        attrs.append(("title", title))
    attrs += [("loading", "lazy"), ("decoding", "async")]
    return "<img " + " ".join(f'{name}="{escape(value)}"' for name, value in attrs) + ">"


def _render(source: str) -> str:
    from articles.images.services import keys_in_text

    env: dict = {}
    tokens = _markdown.parse(source or "", env)
    images = _own_images(tokens)
    if not images:
        return _markdown.renderer.render(tokens, _markdown.options, env)

    default_image = _markdown.renderer.rules["image"]

    def image_rule(tokens, idx, options, env):
        token = tokens[idx]
        keys = keys_in_text(token.attrGet("src") or "")
        image = images.get(keys[0]) if keys else None
        if image is None:
            return default_image(tokens, idx, options, env)
        alt = _markdown.renderer.renderInlineAsText(token.children or [], options, env)
        return own_image_tag(image, alt=alt, title=token.attrGet("title") or "")

    # A renderer of its own for this call: the shared one stays untouched for other threads.
    renderer = type(_markdown.renderer)(_markdown)
    renderer.rules["image"] = image_rule
    return renderer.render(tokens, _markdown.options, env)


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_own_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


def markdown_to_html(source: str) -> str:
    return sanitize(_render(source))
