"""Writes of the image library: upload, renditions, where used, delete, evidence.

Who may upload: an author of the author programme (articles.submit_article) who is not
muted, or an editor (articles.review_article: editors set covers and edit bodies of other
people's articles). Uploads are rate-limited per person like the site's other writes.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.ratelimit import RateLimited, rate_limit_retry_after, rate_limit_take
from accounts.restrictions import require_not_muted
from articles.images import processing
from articles.images.models import Image, ImageEvidence, ImageUse, ImageUseRole
from cms.errors import StateConflict

PERM_SUBMIT = "articles.submit_article"
PERM_REVIEW = "articles.review_article"
RATE_WINDOW_SECONDS = 3600
ORIGINAL_NAME_MAX = 200
ALT_MAX = 200

# The key of one of our own images in a URL or in Markdown: /media/images/ab/<32 hex>/…
_KEY_IN_URL = re.compile(r"/images/[0-9a-f]{2}/([0-9a-f]{32})/")


def keys_in_text(text: str) -> list[str]:
    """The image keys the Markdown `text` refers to, in order of first appearance."""
    seen: dict[str, None] = {}
    for match in _KEY_IN_URL.finditer(text or ""):
        seen.setdefault(match.group(1), None)
    return list(seen)


def _rejection_message(error: processing.ImageRejected) -> str:
    messages = {
        "empty": _("文件是空的，请重新选择图片。"),
        "too_big": _("图片太大了（%(size)s），请压缩到 %(limit)s 以内再上传。")
        % {"size": filesizeformat(error.params.get("size", 0)), "limit": filesizeformat(settings.IMAGE_MAX_BYTES)},
        "svg": _("不支持 SVG 矢量图（其中可能含有脚本），请导出为 PNG 或 JPG 后再上传。"),
        "not_image": _("这个文件不是有效的图片，或者格式无法识别。请上传 JPG、PNG、WebP 或 GIF 图片。"),
        "wrong_type": _("不支持这种图片格式（%(format)s），请上传 JPG、PNG、WebP 或 GIF 图片。")
        % {"format": error.params.get("format") or _("未知")},
        "too_many_pixels": _("图片的像素太多了，请缩小到 %(limit)s 万像素以内再上传。")
        % {"limit": settings.IMAGE_MAX_PIXELS // 10_000},
        "corrupt": _("图片已损坏，无法读取。请换一张图片，或用看图软件另存一份再上传。"),
    }
    return messages[error.code]


def image_check(*, data: bytes) -> processing.Processed:
    """Check and re-encode `data`; a refusal is a ValidationError with one Chinese sentence
    (its `code` is the reason: empty, too_big, svg, not_image, wrong_type, too_many_pixels, corrupt)."""
    try:
        return processing.process_upload(data, max_bytes=settings.IMAGE_MAX_BYTES, max_pixels=settings.IMAGE_MAX_PIXELS)
    except processing.ImageRejected as error:
        raise ValidationError(_rejection_message(error), code=error.code) from None


def _require_uploader(actor: AbstractBaseUser | None) -> None:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("登录后才能上传图片。"))
    if actor.has_perm(PERM_REVIEW):
        return
    if not actor.has_perm(PERM_SUBMIT):
        raise PermissionDenied(_("只有加入作者计划的作者才能上传图片。"))
    require_not_muted(actor, action=_("上传图片"))


def _rate_key(actor: AbstractBaseUser) -> str:
    return f"image-upload:{actor.pk}"


def _read(upload) -> bytes:
    if isinstance(upload, bytes | bytearray):
        return bytes(upload)
    limit = settings.IMAGE_MAX_BYTES
    # Read one byte past the limit, never the whole of an oversized upload.
    upload.seek(0)
    return upload.read(limit + 1)


@transaction.atomic
def image_upload(*, actor: AbstractBaseUser, upload, name: str = "", alt: str = "") -> Image:
    """Store an uploaded picture in `actor`'s library and return it.

    `upload` is an UploadedFile (or bytes). Raises PermissionDenied, RateLimited or
    ValidationError (see image_check). The master is stored at once, so the editor's
    preview shows it; the renditions are made after commit by a task.
    """
    _require_uploader(actor)
    data = _read(upload)
    if len(data) > settings.IMAGE_MAX_BYTES:
        size = getattr(upload, "size", None) or len(data)
        raise ValidationError(_rejection_message(processing.ImageRejected("too_big", size=size)), code="too_big")
    processed = image_check(data=data)
    limit = settings.IMAGE_UPLOADS_PER_HOUR
    if not rate_limit_take(key=_rate_key(actor), limit=limit, window_seconds=RATE_WINDOW_SECONDS):
        raise RateLimited(
            _("上传太频繁了：每小时最多 %(n)s 张图片，请稍后再传。你写的内容都还在。") % {"n": limit},
            retry_after=rate_limit_retry_after(key=_rate_key(actor)),
        )
    name = (name or getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    image = Image(
        key=uuid.uuid4().hex,
        owner=actor,
        format=processed.format,
        width=processed.width,
        height=processed.height,
        size_bytes=len(processed.data),
        original_name=name[:ORIGINAL_NAME_MAX],
        alt=(alt or "").strip()[:ALT_MAX],
    )
    image.file.save(f"original.{processed.extension}", ContentFile(processed.data), save=False)
    try:
        image.save()
        _queue_renditions(image)
    except BaseException:
        # No row, no file. (A caller's transaction that rolls back later leaves the file:
        # harmless, and named by a key nobody knows.)
        default_storage.delete(image.file.name)
        raise
    return image


def _queue_renditions(image: Image) -> None:
    from articles.images.tasks import image_renditions_make
    from reliability.outbox import outbox_enqueue

    outbox_enqueue(image_renditions_make, image.pk)


def _rendition_name(image: Image, width: int) -> str:
    return f"images/{image.key[:2]}/{image.key}/{width}.webp"


def image_ensure_renditions(*, image: Image) -> Image:
    """Make the image's renditions if they are not there yet; safe to run twice and at
    once in two processes (the names are fixed, the last writer's identical bytes win)."""
    if image.renditions:
        return image
    with default_storage.open(image.file.name, "rb") as handle:
        master = handle.read()
    made = []
    for rendition in processing.make_renditions(master, tuple(settings.IMAGE_RENDITION_WIDTHS)):
        name = _rendition_name(image, rendition.width)
        if default_storage.exists(name):
            default_storage.delete(name)
        stored = default_storage.save(name, ContentFile(rendition.data))
        made.append({"width": rendition.width, "height": rendition.height, "name": stored})
    Image.objects.filter(pk=image.pk).update(renditions=made)
    image.renditions = made
    return image


def image_uses_sync(*, article) -> None:
    """Record which library images `article`'s current body and cover show (call after
    saving the article, in its transaction)."""
    wanted: set[tuple[int, str]] = set()
    keys = keys_in_text(article.body)
    if keys:
        for pk in Image.objects.filter(key__in=keys).values_list("pk", flat=True):
            wanted.add((pk, ImageUseRole.BODY))
    if article.cover_image_id:
        wanted.add((article.cover_image_id, ImageUseRole.COVER))
    current = set(ImageUse.objects.filter(article=article).values_list("image_id", "role"))
    stale = current - wanted
    if stale:
        for image_id, role in stale:
            ImageUse.objects.filter(article=article, image_id=image_id, role=role).delete()
    ImageUse.objects.bulk_create(
        [ImageUse(article=article, image_id=image_id, role=role) for image_id, role in wanted - current],
        ignore_conflicts=True,
    )


def image_for_article(*, actor: AbstractBaseUser, image_id: int | str) -> Image:
    """The library image `actor` may put on an article (their own, or any for an editor)."""
    image = Image.objects.live().filter(pk=int(image_id)).first() if str(image_id).isdigit() else None
    if image is None:
        raise ValidationError(_("找不到这张图片，它可能已被删除。请重新选择或上传。"), code="missing")
    if image.owner_id != getattr(actor, "pk", None) and not actor.has_perm(PERM_REVIEW):
        raise PermissionDenied(_("只能使用自己图片库里的图片。"))
    return image


@transaction.atomic
def image_delete(*, actor: AbstractBaseUser, image: Image) -> bool:
    """The owner deletes an image no article uses. Returns True when its files are gone,
    False when a moderation case keeps it as evidence (it only leaves the library).

    Raises PermissionDenied (not the owner) or StateConflict (still used: the message
    names the articles).
    """
    if actor is None or not actor.is_authenticated or image.owner_id != actor.pk:
        raise PermissionDenied(_("只能删除自己上传的图片。"))
    image = Image.objects.select_for_update().get(pk=image.pk)
    if image.deleted_at is not None:
        return False
    titles = list(
        image.uses.select_related("article").order_by("article_id").values_list("article__title", flat=True).distinct()
    )
    if titles:
        shown = "、".join(f"《{title or _('无标题')}》" for title in titles[:3])
        more = _("等 %(n)s 篇文章") % {"n": len(titles)} if len(titles) > 3 else ""
        raise StateConflict(
            _("这张图片正在 %(articles)s%(more)s中使用，不能删除。请先从正文或封面中移除它，保存后再删除。")
            % {"articles": shown, "more": more}
        )
    if image.evidence.exists():
        image.deleted_at = timezone.now()
        image.save(update_fields=["deleted_at"])
        return False
    names = [image.file.name, *(r["name"] for r in image.renditions)]
    image.delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    return True


def image_keep_as_evidence(*, article, case_id: int) -> int:
    """A moderation case opened on `article`: keep the images it shows with the evidence
    snapshot. Returns how many images are kept."""
    image_ids = set(ImageUse.objects.filter(article=article).values_list("image_id", flat=True))
    ImageEvidence.objects.bulk_create(
        [ImageEvidence(image_id=image_id, case_id=case_id) for image_id in image_ids], ignore_conflicts=True
    )
    return len(image_ids)


def images_by_key(keys: Iterable[str]) -> dict[str, Image]:
    keys = list(keys)
    if not keys:
        return {}
    return {image.key: image for image in Image.objects.filter(key__in=keys)}
