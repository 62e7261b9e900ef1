"""E-mail submissions: the raw message as it arrived, the submission made of it, its files.

Re-exported from articles.models (so Django and migrations see them in the articles app).

InboundMessage is written first, in a transaction of its own, before any parsing: whatever
happens next, the bytes are in the database. Parsing then fills in what it found and sets
the status; a message that could not be parsed stays ``quarantined`` with the reason, for a
person (articles.mail.ingest.submission_retry parses it again after a fix).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboundStatus(models.TextChoices):
    RECEIVED = "received", _("已收到")  # stored, not parsed yet (or parsing was interrupted)
    PARSED = "parsed", _("已解析")  # a Submission was made of it
    QUARANTINED = "quarantined", _("已隔离")  # could not be parsed: a person looks at it
    IGNORED = "ignored", _("已忽略")  # auto-reply, bulk or list mail, bounce: never answered
    DUPLICATE = "duplicate", _("重复")  # same Message-ID as an earlier message


class IngestOutcome(models.TextChoices):
    """What became of a message — the `outcome` of `ingest_email --json` (PRODUCT §12)."""

    SUBMISSION = "submission", _("投稿")
    DUPLICATE = "duplicate", _("重复邮件")
    IGNORED_AUTO_REPLY = "ignored_auto_reply", _("自动回复（已忽略）")
    IGNORED_BULK = "ignored_bulk", _("群发或邮件列表（已忽略）")
    BOUNCE = "bounce", _("退信（已忽略）")
    QUARANTINED = "quarantined", _("无法解析（已隔离）")
    SUBMISSION_EMPTY = "submission_empty", _("投稿缺少稿件")


class InboundMessage(models.Model):
    raw = models.BinaryField(_("原始邮件"))
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    # Which front door it came through: "pipe" (ingest_email), "imap", "smtp", "test"…
    source = models.CharField(_("来源"), max_length=20)
    # Normalised (angle brackets and folding removed, lower case); when the header is missing,
    # "no-message-id.sha256-<sha256 of the bytes>" (articles.mail.ingest.NO_MESSAGE_ID_PREFIX).
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True, db_index=True)
    # Set on the first message of each Message-ID, in the parsing transaction; the unique
    # constraint below makes a second delivery (even a concurrent one) a duplicate.
    is_first_of_message_id = models.BooleanField(default=False, editable=False)
    status = models.CharField(
        _("状态"), max_length=12, choices=InboundStatus.choices, default=InboundStatus.RECEIVED, db_index=True
    )
    outcome = models.CharField(_("处理结果"), max_length=20, choices=IngestOutcome.choices, blank=True)
    # Why it was quarantined or ignored, or what was left out (an attachment over the limit).
    reason = models.TextField(_("原因"), blank=True)
    # What the headers said, decoded — kept even when the body cannot be parsed, for triage.
    subject = models.CharField(_("主题"), max_length=300, blank=True)
    sender_email = models.CharField(_("发件人邮箱"), max_length=254, blank=True)
    sender_name = models.CharField(_("发件人姓名"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("发送时间（Date 头）"), null=True, blank=True)
    in_reply_to = models.JSONField(_("In-Reply-To"), default=list, blank=True)
    references = models.JSONField(_("References"), default=list, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("重复于"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now, db_index=True)
    processed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("解析次数"), default=0)

    class Meta:
        verbose_name = _("收到的邮件")
        verbose_name_plural = _("收到的邮件")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message_id"],
                condition=Q(is_first_of_message_id=True) & ~Q(message_id=""),
                name="inbound_message_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject or self.message_id or self.sha256[:12]}"

    @property
    def thread_id(self) -> str:
        """The Message-ID a reply to this message refers to (In-Reply-To), "" when it had none."""
        return "" if self.message_id.startswith("no-message-id.") else self.message_id


class SubmissionStatus(models.TextChoices):
    NEW = "new", _("待处理")
    ACCEPTED = "accepted", _("已采用")
    REJECTED = "rejected", _("未采用")
    SPAM = "spam", _("垃圾邮件")


class Submission(models.Model):
    """A manuscript that came in by e-mail, from a person outside the site."""

    inbound = models.OneToOneField(
        InboundMessage, verbose_name=_("原始邮件"), on_delete=models.PROTECT, related_name="submission"
    )
    title = models.CharField(_("标题"), max_length=300, blank=True)
    # The manuscript, as Markdown: the text part as written, an HTML part or attachment
    # converted, or the text of a .txt/.md/.docx attachment.
    text = models.TextField(_("稿件（Markdown）"), blank=True)
    # Where `text` came from: "body" (text/plain), "html" (the HTML part) or "attachment".
    text_source = models.CharField(_("稿件来源"), max_length=20, blank=True)
    # The letter around the manuscript when the manuscript is an attachment.
    cover_note = models.TextField(_("邮件正文（附言）"), blank=True)
    # Quoted replies and signatures, set apart from the manuscript.
    quoted_text = models.TextField(_("引用与签名"), blank=True)
    sender_email = models.CharField(_("投稿人邮箱"), max_length=254)
    sender_name = models.CharField(_("投稿人姓名"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.NEW, db_index=True
    )
    # A reply (a revision, an answer to our acknowledgement) points at the first submission
    # of its thread.
    thread_parent = models.ForeignKey(
        "self", verbose_name=_("所属投稿"), null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    # The Message-ID of our acknowledgement (normalised like InboundMessage.message_id), so a
    # reply to it threads here.
    ack_message_id = models.CharField(_("回执 Message-ID"), max_length=255, blank=True, db_index=True)
    acknowledged_at = models.DateTimeField(_("回执发送时间"), null=True, blank=True)

    # Moderation (articles.mail.moderation): a `block` verdict holds it from acceptance.
    held = models.BooleanField(_("审核暂扣"), default=False)
    hold_reason = models.CharField(_("暂扣原因"), max_length=300, blank=True)
    removed_reason = models.TextField(_("移除原因"), blank=True)

    # Triage (filled in by the editors' workflow).
    contact_editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("联系编辑"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_submissions",
    )
    contact_due_at = models.DateTimeField(_("首次联系期限"), null=True, blank=True)
    contacted_at = models.DateTimeField(_("首次联系时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理编辑"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decided_submissions",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_message = models.TextField(_("给投稿人的话"), blank=True)
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("生成的文章"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )

    created_at = models.DateTimeField(_("收到时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("邮件投稿")
        verbose_name_plural = _("邮件投稿")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="submission_status_created"),
            models.Index(fields=["status", "contact_due_at"], name="submission_status_due"),
        ]

    def __str__(self) -> str:
        return self.title or self.reference

    @property
    def reference(self) -> str:
        """The number the submitter is given (投稿编号), e.g. TG000042."""
        return f"TG{self.pk:06d}" if self.pk else ""

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()


class SubmissionAttachment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("类型"), max_length=127)
    size = models.PositiveIntegerField(_("大小（字节）"))
    # Empty when the file was over SUBMISSION_MAX_ATTACHMENT_BYTES (see skipped_reason):
    # the bytes are still in the raw message.
    file = models.FileField(_("文件"), upload_to="submissions/%Y/%m/", max_length=300, blank=True)
    # The text extracted from a .txt/.md/.html/.docx file, as Markdown.
    text = models.TextField(_("提取的文字"), blank=True)
    is_manuscript = models.BooleanField(_("是稿件"), default=False)
    is_candidate_cover = models.BooleanField(_("可作封面"), default=False)
    skipped_reason = models.CharField(_("未保存原因"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("投稿附件")
        verbose_name_plural = _("投稿附件")
        ordering = ["submission", "position", "id"]

    def __str__(self) -> str:
        return self.filename
