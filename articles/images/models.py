"""The authors' image library: one row per uploaded image, where it is used, and which
moderation cases keep it as evidence.

Re-exported from articles.models (so Django and migrations see them in the articles app).

An uploaded file is never stored as it came: it is decoded with Pillow, turned upright by
its EXIF orientation and encoded again without any metadata (articles.images.processing).
That master, at its full size, is what the Markdown references; the renditions (sizes for
phone and desktop) are made from it by a Celery task after commit, or by the first reader
that needs them (articles.images.services.image_ensure_renditions).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def image_master_path(instance: Image, filename: str) -> str:
    # One folder per image, named by its key: the key is in every URL the site emits, so
    # the rendering can recognise its own images and find their renditions beside them.
    extension = filename.rsplit(".", 1)[-1]
    return f"images/{instance.key[:2]}/{instance.key}/original.{extension}"


class ImageQuerySet(models.QuerySet):
    def live(self) -> ImageQuerySet:
        """Images their owner has not deleted (deleted ones may still be kept as evidence)."""
        return self.filter(deleted_at__isnull=True)


class Image(models.Model):
    key = models.CharField(_("编号"), max_length=32, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="images",
    )
    file = models.FileField(_("图片文件"), upload_to=image_master_path, max_length=200)
    format = models.CharField(_("格式"), max_length=10)  # jpeg, png, webp, gif (of the stored master)
    width = models.PositiveIntegerField(_("宽度"))
    height = models.PositiveIntegerField(_("高度"))
    size_bytes = models.PositiveIntegerField(_("文件大小"))
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    alt = models.CharField(_("图片说明"), max_length=200, blank=True)
    # [{"width": 480, "height": 270, "name": "images/ab/<key>/480.webp"}, …], widest last;
    # empty until the renditions exist.
    renditions = models.JSONField(_("尺寸版本"), default=list, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # Set when the owner deletes an image a moderation case still keeps as evidence: it
    # leaves the library, the files stay.
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        verbose_name = _("图片")
        verbose_name_plural = _("图片")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="image_owner_created")]

    def __str__(self) -> str:
        return self.original_name or self.key

    @property
    def url(self) -> str:
        return self.file.url


class ImageUseRole(models.TextChoices):
    BODY = "body", _("正文插图")
    COVER = "cover", _("封面")


class ImageUse(models.Model):
    """An article's current text or cover shows this image (kept in step by the article
    services on every save; the library's "where used" and the delete check read it)."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="uses")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="image_uses")
    role = models.CharField(_("用途"), max_length=10, choices=ImageUseRole.choices)

    class Meta:
        verbose_name = _("图片用途")
        verbose_name_plural = _("图片用途")
        constraints = [models.UniqueConstraint(fields=["image", "article", "role"], name="unique_image_use")]

    def __str__(self) -> str:
        return f"{self.image_id} @ {self.article_id} ({self.role})"


class ImageEvidence(models.Model):
    """A moderation case's evidence snapshot shows this image: the files are kept while
    the row exists, whatever the owner or the article does later. `case_id` is
    moderation.Case's id (no foreign key, so the articles app's migrations need not follow
    moderation's)."""

    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="evidence")
    case_id = models.PositiveBigIntegerField(_("案件编号"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证据图片")
        verbose_name_plural = _("证据图片")
        constraints = [
            models.UniqueConstraint(fields=["image", "case_id"], name="unique_image_evidence"),
        ]
        indexes = [models.Index(fields=["case_id"], name="image_evidence_case")]

    def __str__(self) -> str:
        return f"{self.image_id} @ case {self.case_id}"
