"""Demo pictures for seed_demo: a gradient cover with the title on it for every demo
article, and one picture in the body of the first — drawn with Pillow, no files shipped.
Goes through the library's services (image_upload), and is idempotent: an article that
has a cover, or a body that already shows a library image, is left as it is."""

from __future__ import annotations

import colorsys
import hashlib
import io
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageChops, ImageDraw, ImageFont

from articles.images.services import image_upload, image_uses_sync, keys_in_text

# A CJK font when the machine has one (Debian: fonts-wqy-microhei); otherwise Pillow's own.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
COVER_SIZE = (1600, 900)


def _font(size: int, text: str):
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists() and (text.isascii() or "dejavu" not in candidate.lower()):
            return ImageFont.truetype(candidate, size)
    return None


def gradient_png(*, seed: str, title: str, size: tuple[int, int] = COVER_SIZE) -> bytes:
    """A diagonal two-colour gradient picked from `seed`, with `title` when a font can draw it."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    hue = digest[0] / 255
    start = tuple(int(c * 255) for c in colorsys.hls_to_rgb(hue, 0.45, 0.65))
    end = tuple(int(c * 255) for c in colorsys.hls_to_rgb((hue + 0.12) % 1, 0.25, 0.55))
    width, height = size
    # A diagonal ramp: the mean of a horizontal and a vertical one.
    vertical = PILImage.linear_gradient("L").resize((width, height))
    horizontal = PILImage.linear_gradient("L").rotate(90).resize((width, height))
    ramp = ImageChops.add(vertical, horizontal, scale=2.0)
    image = PILImage.composite(PILImage.new("RGB", size, end), PILImage.new("RGB", size, start), ramp)
    draw = ImageDraw.Draw(image)
    text = title if len(title) <= 16 else title[:15] + "…"
    font_size = int(height * 0.09)
    font = _font(font_size, text) if text else None
    # Smaller until the title fits in 88 % of the width.
    while font is not None and draw.textbbox((0, 0), text, font=font)[2] > width * 0.88 and font_size > 12:
        font_size = int(font_size * 0.9)
        font = _font(font_size, text)
    if font is not None:
        box = draw.textbbox((0, 0), text, font=font)
        x = (width - (box[2] - box[0])) // 2
        y = (height - (box[3] - box[1])) // 2
        draw.text((x + 3, y + 3), text, font=font, fill=(0, 0, 0))
        draw.text((x, y), text, font=font, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def demo_images_ensure(*, author, articles) -> int:
    """Give each of `articles` a cover, and the first one a picture in its body.
    Returns how many images were made (0 on a second run)."""
    from articles.models import Article

    made = 0
    needs_figure = not any(keys_in_text(article.body) for article in articles)
    for position, article in enumerate(sorted(articles, key=lambda a: a.pk)):
        if article.cover_image_id is None:
            data = gradient_png(seed=article.slug, title=article.title)
            cover = image_upload(actor=author, upload=data, name=f"demo-cover-{article.slug}.png", alt=article.title)
            Article.objects.filter(pk=article.pk).update(cover_image=cover)
            article.cover_image = cover
            made += 1
        if position == 0 and needs_figure:
            picture = image_upload(
                actor=author,
                upload=gradient_png(seed=article.slug + "-figure", title="", size=(1200, 675)),
                name="demo-figure.png",
                alt="示意图",
            )
            article.body = f"{article.body.rstrip()}\n\n![示意图：增长曲线]({picture.url})\n"
            Article.objects.filter(pk=article.pk).update(body=article.body)
            made += 1
        image_uses_sync(article=article)
    return made
