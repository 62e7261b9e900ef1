"""The feedback page (建议反馈): suggestions, bug reports, copyright complaints, reports
and appeals, each with a tracking number the sender can look up.

Suggestions and bugs wait in the staff queue and are answered by e-mail; a copyright
complaint becomes a case on the article; a report is a moderation.Report and an appeal a
moderation.Appeal — their Feedback row is the receipt with the tracking number.
A visitor's item waits in ``unconfirmed`` until they open the signed link sent to their
address; nothing is acted on before that.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from moderation.models.appeals import Appeal
from moderation.models.base import user_link
from moderation.models.cases import Case, Report


class FeedbackKind(models.TextChoices):
    SUGGESTION = "suggestion", _("产品建议")
    BUG = "bug", _("问题报告")
    COPYRIGHT = "copyright", _("版权投诉")
    REPORT = "report", _("举报")
    APPEAL = "appeal", _("处罚申诉")


class FeedbackStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("待确认邮箱")
    OPEN = "open", _("待处理")
    ANSWERED = "answered", _("已回复")
    CLOSED = "closed", _("已处理")


class Infringement(models.TextChoices):
    """What a copyright complaint says was taken (PRODUCT §7)."""

    TEXT = "text", _("文字")
    IMAGES = "images", _("图片")
    FONTS = "fonts", _("字体")


class Feedback(models.Model):
    kind = models.CharField(_("类型"), max_length=12, choices=FeedbackKind.choices)
    status = models.CharField(_("状态"), max_length=12, choices=FeedbackStatus.choices, default=FeedbackStatus.OPEN)
    tracking_number = models.CharField(_("受理编号"), max_length=20, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
        verbose_name=_("提交人"),
    )
    email = models.EmailField(_("联系邮箱"))
    text = models.TextField(_("内容"))
    # A copyright complaint's article (any registered model; moderation never imports articles).
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    target_label = models.CharField(_("投诉对象"), max_length=300, blank=True)
    infringed = models.JSONField(_("被侵犯的内容"), default=list, blank=True)
    rights_statement = models.TextField(_("权利人声明"), blank=True)
    rights_contact = models.CharField(_("权利人联系方式"), max_length=200, blank=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback", verbose_name=_("案件")
    )
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("举报")
    )
    appeal = models.ForeignKey(
        Appeal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("申诉")
    )
    confirmed_at = models.DateTimeField(_("确认邮箱时间"), null=True, blank=True)
    reply = models.TextField(_("回复"), blank=True)
    replied_by = user_link(_("回复人"))
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("建议反馈")
        verbose_name_plural = _("建议反馈")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "kind", "created_at"], name="feedback_queue"),
            models.Index(fields=["user", "created_at"], name="feedback_user"),
        ]

    def __str__(self) -> str:
        return self.tracking_number


def _attachment_path(instance: "FeedbackAttachment", filename: str) -> str:
    # The stored name is random (services.feedback); the sender's name is kept in `name`.
    return f"feedback/{filename}"


class FeedbackAttachment(models.Model):
    """A screenshot or a proof of rights. Served only to staff (never from MEDIA_URL by name)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
