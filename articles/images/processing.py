"""Decoding, checking and re-encoding uploaded images with Pillow. Pure: bytes in, bytes
out, no Django, so the services, the data migration and the tests share one
implementation.

What arrives is never trusted: the type is what Pillow finds in the bytes (never the file
name or the browser's content type), the pixel count is checked from the header before
anything is decoded (a decompression bomb is refused before it costs memory), the EXIF
orientation is applied and every piece of metadata (EXIF with GPS, XMP, IPTC, comments,
ICC profiles other than the colour one) is dropped by encoding the pixels anew.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

# What Pillow calls the formats we accept, and the extension each is stored under.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# Renditions are WebP: every browser the site supports shows it, and it is smaller than
# JPEG at the same quality; transparency survives too.
RENDITION_FORMAT = "WEBP"
RENDITION_QUALITY = 82
JPEG_QUALITY = 88


class ImageRejected(ValueError):
    """The upload is not an image we keep. `code` says why (for tests and the API);
    `params` fill the message the service shows."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Processed:
    data: bytes  # the re-encoded master, without metadata
    format: str  # "jpeg", "png", "webp" or "gif"
    extension: str
    width: int
    height: int


@dataclass(frozen=True)
class Rendition:
    data: bytes
    width: int
    height: int


def _sniff_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(b"<?xml") or text.startswith(b"<svg") or b"<svg" in text[:1024]


def process_upload(data: bytes, *, max_bytes: int, max_pixels: int) -> Processed:
    """Check `data` and return the master to store. Raises ImageRejected with the code
    `too_big`, `empty`, `svg`, `not_image`, `wrong_type`, `too_many_pixels` or `corrupt`."""
    if not data:
        raise ImageRejected("empty")
    if len(data) > max_bytes:
        raise ImageRejected("too_big", size=len(data), limit=max_bytes)
    if _sniff_svg(data[:2048]):
        raise ImageRejected("svg")
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb guard warns (or raises) at its default limit; ours is
            # checked below from the header, before any pixel is decoded.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            probe = PILImage.open(io.BytesIO(data))
    except PILImage.DecompressionBombError:
        raise ImageRejected("too_many_pixels", pixels=None, limit=max_pixels) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ImageRejected("not_image") from None
    with probe:
        if probe.format not in ACCEPTED_FORMATS:
            raise ImageRejected("wrong_type", format=probe.format or "")
        width, height = probe.size
        if width * height > max_pixels:
            raise ImageRejected("too_many_pixels", pixels=width * height, limit=max_pixels)
        source_format = probe.format
        try:
            probe.seek(0)  # a GIF (or an animated WebP) keeps its first frame only
            frame = probe.copy() if source_format in ("GIF", "WEBP") else probe
            frame.load()
            upright = ImageOps.exif_transpose(frame)
        except (OSError, ValueError, SyntaxError, EOFError):
            raise ImageRejected("corrupt") from None
    return _encode_master(upright, source_format)


def _encode_master(image: PILImage.Image, source_format: str) -> Processed:
    # Nothing of the source's metadata travels on: only a palette's transparency.
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}
    buffer = io.BytesIO()
    if source_format == "JPEG":
        image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
        fmt = "jpeg"
    elif source_format == "WEBP":
        image = image if image.mode in ("RGB", "RGBA") else image.convert("RGBA")
        image.save(buffer, "WEBP", quality=JPEG_QUALITY)
        fmt = "webp"
    else:
        # PNG and a GIF's first frame: lossless PNG (a still GIF would lose nothing, but
        # PNG keeps transparency and more than 256 colours for the renditions).
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(buffer, "PNG")  # (optimize=True costs a second per photo for a few per cent)
        fmt = "png"
    width, height = image.size
    extension = {"jpeg": "jpg", "webp": "webp", "png": "png"}[fmt]
    return Processed(data=buffer.getvalue(), format=fmt, extension=extension, width=width, height=height)


def rendition_widths(width: int, widths: tuple[int, ...]) -> list[int]:
    """The widths to make for an image `width` wide: the configured ones narrower than it
    (never upscaled) and, when it is narrower than the widest, the image's own width."""
    chosen = sorted({w for w in widths if w < width})
    if not widths or width <= max(widths):
        chosen.append(width)
    else:
        chosen.append(max(widths))
    return sorted(set(chosen))


def make_renditions(data: bytes, widths: tuple[int, ...]) -> list[Rendition]:
    """Resized WebP copies of a stored master (which is already upright and bare)."""
    with PILImage.open(io.BytesIO(data)) as source:
        source.load()
        image = source if source.mode in ("RGB", "RGBA") else source.convert("RGBA")
        out = []
        for width in rendition_widths(image.width, widths):
            height = max(1, round(image.height * width / image.width))
            resized = image if width == image.width else image.resize((width, height), PILImage.Resampling.LANCZOS)
            buffer = io.BytesIO()
            resized.save(buffer, RENDITION_FORMAT, quality=RENDITION_QUALITY, method=4)
            out.append(Rendition(data=buffer.getvalue(), width=width, height=resized.height))
        return out
