"""The feedback page (建议反馈): submitting an item, confirming a visitor's address, the
staff's reply, and turning a copyright complaint into a case on the article.

Who may send what: anyone a suggestion, a bug or a copyright complaint (a visitor's item
is acted on only once they open the signed link sent to their address); signed-in people
also a report (through report_create) and an appeal (moderation.services.appeals).
Everything is rate-limited per sender (the account, or the client address).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.ratelimit import RateLimited, rate_limit_retry_after, rate_limit_take
from cms.errors import StateConflict
from moderation import feedback_tasks  # noqa: F401 — registers the e-mail tasks in every process
from moderation.models import Feedback, FeedbackAttachment, FeedbackKind, FeedbackStatus, Infringement
from moderation.policies import case_priority
from moderation.registry import registry
from moderation.services.appeals import tracking_number_new
from moderation.services.audit import audit_record, require_perm

FEEDBACK_TEXT_MAX = 5000
STATEMENT_MAX = 3000
CONTACT_MAX = 200
REPLY_MAX = 5000
CONFIRM_SALT = "moderation.feedback-confirm"
RATE_WINDOW_SECONDS = 60 * 60
# A copyright complaint is judged under "other illegal content" (infringing is unlawful;
# the convention has no rule of its own for it), and weighs in the queue like one report
# from a fully trusted reporter: the rights holder stands behind it with a statement.
COPYRIGHT_RULE = "1.13"
# What the attachments may be: what Pillow recognises as one of these image formats, or a PDF.
IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
PDF_MAGIC = b"%PDF-"


@dataclass
class FeedbackData:
    """What the form or the API carries; each kind reads its own fields."""

    kind: str
    text: str = ""
    email: str = ""
    target: models.Model | None = None  # copyright: the article; report: what is reported
    infringed: list[str] = field(default_factory=list)
    rights_statement: str = ""
    rights_contact: str = ""
    rule_code: str = ""  # report
    attachments: list[UploadedFile] = field(default_factory=list)


def _attachment_kind(upload: UploadedFile) -> tuple[str, str]:
    """(content type, extension) of an allowed file, judged by its bytes, not its name."""
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head == PDF_MAGIC:
        return "application/pdf", "pdf"
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        image_format = None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(
            {"attachments": _("附件“%(name)s”不是 PNG、JPEG、GIF、WebP 图片或 PDF 文件。") % {"name": upload.name}}
        )
    return IMAGE_FORMATS[image_format], image_format.lower().replace("jpeg", "jpg")


def feedback_clean_attachments(uploads: list[UploadedFile]) -> list[tuple[UploadedFile, str, str]]:
    """Check the count, the size and the type of each file (before anything is stored)."""
    uploads = [upload for upload in uploads or [] if upload]
    if len(uploads) > settings.FEEDBACK_ATTACHMENTS_MAX:
        raise ValidationError({"attachments": _("最多上传 %(n)s 个附件。") % {"n": settings.FEEDBACK_ATTACHMENTS_MAX}})
    checked = []
    limit = settings.FEEDBACK_ATTACHMENT_MAX_BYTES
    for upload in uploads:
        if upload.size > limit:
            raise ValidationError(
                {
                    "attachments": _("附件“%(name)s”太大了：每个最多 %(mb)s MB。")
                    % {"name": upload.name, "mb": limit // (1024 * 1024)}
                }
            )
        content_type, extension = _attachment_kind(upload)
        checked.append((upload, content_type, extension))
    return checked


def _clean(data: FeedbackData, *, user: AbstractBaseUser | None) -> dict:
    errors: dict[str, str] = {}
    if data.kind not in (FeedbackKind.SUGGESTION, FeedbackKind.BUG, FeedbackKind.COPYRIGHT, FeedbackKind.REPORT):
        errors["kind"] = _("请选择反馈类型：产品建议、问题报告、版权投诉或举报（申诉请在申诉页提交）。")
    text = (data.text or "").strip()
    if data.kind != FeedbackKind.REPORT and not text:
        errors["text"] = _("请写下反馈的内容。")
    elif len(text) > FEEDBACK_TEXT_MAX:
        errors["text"] = _("内容最多 %(max)s 字。") % {"max": FEEDBACK_TEXT_MAX}
    email = (data.email or "").strip()
    if user is not None and user.is_authenticated:
        email = email or user.email or ""
    if user is None or not user.is_authenticated or email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("请填写有效的邮箱地址，处理结果和回复会发到这里。")
    cleaned = {"text": text, "email": email}
    if data.kind == FeedbackKind.COPYRIGHT:
        if data.target is None:
            errors["target"] = _("请指明被投诉的文章（文章链接）。")
        infringed = sorted(set(data.infringed or []))
        if not infringed or any(item not in Infringement.values for item in infringed):
            errors["infringed"] = _("请选择被侵犯的内容：文字、图片或字体。")
        statement = (data.rights_statement or "").strip()
        if not statement:
            errors["rights_statement"] = _("请写下权利人声明：你是谁、享有什么权利、原作在哪里。")
        elif len(statement) > STATEMENT_MAX:
            errors["rights_statement"] = _("权利人声明最多 %(max)s 字。") % {"max": STATEMENT_MAX}
        contact = (data.rights_contact or "").strip()
        if not contact:
            errors["rights_contact"] = _("请留下权利人的联系方式（姓名或机构名称，以及电话或邮箱）。")
        elif len(contact) > CONTACT_MAX:
            errors["rights_contact"] = _("联系方式最多 %(max)s 字。") % {"max": CONTACT_MAX}
        cleaned.update(infringed=infringed, rights_statement=statement, rights_contact=contact)
    if data.kind == FeedbackKind.REPORT:
        if user is None or not user.is_authenticated:
            errors["kind"] = _("登录后才能举报。")
        if data.target is None:
            errors["target"] = _("请贴上要举报的文章、评论或作者页面的链接。")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _take_rate(*, user: AbstractBaseUser | None, client_key: str) -> None:
    key = f"feedback:user:{user.pk}" if user is not None and user.is_authenticated else f"feedback:ip:{client_key}"
    limit = settings.FEEDBACK_PER_HOUR
    if not rate_limit_take(key=key, limit=limit, window_seconds=RATE_WINDOW_SECONDS):
        raise RateLimited(
            _("提交太频繁了：每小时最多 %(n)s 条，请稍后再试。你写的内容还在。") % {"n": limit},
            retry_after=rate_limit_retry_after(key=key),
        )


def feedback_confirm_token(feedback: Feedback) -> str:
    return signing.dumps({"f": feedback.pk, "e": feedback.email.lower()}, salt=CONFIRM_SALT)


@transaction.atomic
def feedback_submit(*, user: AbstractBaseUser | None, data: FeedbackData, client_key: str) -> Feedback:
    """Store one item from the feedback page (or ``POST /api/v1/feedback/``).

    A signed-in person's item is accepted at once (a report is filed, a copyright
    complaint opens a case); a visitor's waits as ``unconfirmed`` until they open the
    confirmation link e-mailed to them. Raises ValidationError, RateLimited, or what
    report_create raises for a report.
    """
    from moderation.feedback_tasks import send_feedback_confirmation
    from moderation.services.reports import report_create
    from reliability.outbox import outbox_enqueue

    user = user if user is not None and user.is_authenticated else None
    cleaned = _clean(data, user=user)
    attachments = feedback_clean_attachments(data.attachments)
    _take_rate(user=user, client_key=client_key)
    report = None
    if data.kind == FeedbackKind.REPORT:
        report = report_create(reporter=user, target=data.target, rule_code=data.rule_code, note=cleaned["text"])
    target = data.target if data.kind == FeedbackKind.COPYRIGHT else None
    feedback = Feedback.objects.create(
        kind=data.kind,
        status=FeedbackStatus.OPEN if user is not None else FeedbackStatus.UNCONFIRMED,
        tracking_number=tracking_number_new("FK"),
        user=user,
        email=cleaned["email"],
        text=cleaned["text"],
        content_type=ContentType.objects.get_for_model(type(target)) if target is not None else None,
        object_id=target.pk if target is not None else None,
        target_label=_target_label(target) if target is not None else "",
        infringed=cleaned.get("infringed", []),
        rights_statement=cleaned.get("rights_statement", ""),
        rights_contact=cleaned.get("rights_contact", ""),
        report=report,
        confirmed_at=timezone.now() if user is not None else None,
    )
    for upload, content_type, extension in attachments:
        stored = FeedbackAttachment(
            feedback=feedback, name=upload.name[:200], content_type=content_type, size=upload.size
        )
        stored.file.save(f"{secrets.token_hex(16)}.{extension}", upload, save=False)
        stored.save()
    audit_record(
        actor=user,
        action="feedback.create",
        target=feedback,
        data={"kind": feedback.kind, "tracking_number": feedback.tracking_number, "confirmed": user is not None},
    )
    if user is None:
        outbox_enqueue(send_feedback_confirmation, feedback.pk)
    else:
        _accepted(feedback)
    return feedback


def _target_label(target: models.Model) -> str:
    adapter = registry.adapter_for(target)
    return f"{adapter.get_label()}：{adapter.get_title(target)}"[:300]


def _accepted(feedback: Feedback) -> None:
    if feedback.kind == FeedbackKind.COPYRIGHT:
        _copyright_case(feedback)


def _copyright_case(feedback: Feedback) -> None:
    """The complaint joins (or opens) the article's case, with the complaint in its evidence."""
    from moderation.services.cases import case_open_for
    from moderation.services.penalties import policy_config

    target = feedback.target
    if target is None:
        return  # the article is gone: the item stays in the staff queue
    case = case_open_for(obj=target)
    complaints = list(case.evidence.get("complaints", []))
    complaints.append(
        {
            "tracking_number": feedback.tracking_number,
            "kind": "copyright",
            "infringed": feedback.infringed,
            "text": feedback.text,
            "rights_statement": feedback.rights_statement,
            "rights_contact": feedback.rights_contact,
            "email": feedback.email,
            "at": timezone.now().isoformat(),
        }
    )
    case.evidence = {**case.evidence, "complaints": complaints}
    case.rule_code = case.rule_code or COPYRIGHT_RULE
    case.category = case.category or int(COPYRIGHT_RULE.split(".")[0])
    case.severity = case.severity or "high"
    case.priority = max(
        case.priority,
        case_priority(
            severity=case.severity,
            reporter_accuracies=[1.0],
            scan_score=0.0,
            has_scan=False,
            escalated=False,
            config=policy_config(),
        ),
    )
    case.save(update_fields=["evidence", "rule_code", "category", "severity", "priority", "updated_at"])
    feedback.case = case
    feedback.save(update_fields=["case", "updated_at"])
    audit_record(
        actor=feedback.user,
        action="feedback.copyright_case",
        target=target,
        data={"case": case.pk, "tracking_number": feedback.tracking_number, "infringed": feedback.infringed},
    )


@transaction.atomic
def feedback_confirm(*, token: str) -> Feedback:
    """A visitor opened the link sent to their address: the item is accepted (a copyright
    complaint becomes a case). Confirming twice changes nothing."""
    try:
        data = signing.loads(token or "", salt=CONFIRM_SALT, max_age=settings.FEEDBACK_CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(_("确认链接已过期，请重新提交反馈。")) from None
    except signing.BadSignature:
        raise ValidationError(_("确认链接无效，请检查是否完整复制了邮件里的链接。")) from None
    feedback = Feedback.objects.select_for_update().filter(pk=data.get("f")).first()
    if feedback is None or feedback.email.lower() != data.get("e"):
        raise ValidationError(_("确认链接无效，请重新提交反馈。"))
    if feedback.status != FeedbackStatus.UNCONFIRMED:
        return feedback
    feedback.status = FeedbackStatus.OPEN
    feedback.confirmed_at = timezone.now()
    feedback.save(update_fields=["status", "confirmed_at", "updated_at"])
    audit_record(
        actor=None, action="feedback.confirm", target=feedback, data={"tracking_number": feedback.tracking_number}
    )
    _accepted(feedback)
    return feedback


@transaction.atomic
def feedback_reply(*, actor: AbstractBaseUser, feedback: Feedback, text: str) -> Feedback:
    """Staff answer an item; the answer is e-mailed to the sender (and put in their notices
    when they have an account)."""
    from moderation.feedback_tasks import send_feedback_reply
    from reliability.outbox import outbox_enqueue

    require_perm(actor, "moderation.change_feedback")
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if feedback.status == FeedbackStatus.UNCONFIRMED:
        raise StateConflict(_("提交人还没有确认邮箱，暂时不能回复。"))
    if feedback.kind in (FeedbackKind.APPEAL, FeedbackKind.REPORT):
        raise StateConflict(_("举报和申诉在案件和申诉页面处理，不在这里回复。"))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请写下回复内容。")})
    if len(text) > REPLY_MAX:
        raise ValidationError({"text": _("回复最多 %(max)s 字。") % {"max": REPLY_MAX}})
    feedback.reply = text
    feedback.replied_by = actor
    feedback.replied_at = timezone.now()
    feedback.status = FeedbackStatus.ANSWERED
    feedback.save(update_fields=["reply", "replied_by", "replied_at", "status", "updated_at"])
    audit_record(
        actor=actor, action="feedback.reply", target=feedback, data={"tracking_number": feedback.tracking_number}
    )
    if feedback.user is not None:
        from accounts.services import notice_send

        notice_send(
            user=feedback.user,
            kind="feedback_reply",
            text=_("你的反馈（%(number)s）有了回复：%(text)s")
            % {"number": feedback.tracking_number, "text": text[:500]},
            link=f"/feedback/track/?number={feedback.tracking_number}",
            key=f"feedback:{feedback.pk}:reply",
            email=False,  # the reply itself is e-mailed below, to the address the item gave
        )
    outbox_enqueue(send_feedback_reply, feedback.pk)
    return feedback


@transaction.atomic
def feedback_close(*, actor: AbstractBaseUser, feedback: Feedback) -> Feedback:
    """Staff mark an item handled without a reply (a duplicate, spam)."""
    require_perm(actor, "moderation.change_feedback")
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if feedback.status == FeedbackStatus.CLOSED:
        raise StateConflict(_("这条反馈已经处理过了。"))
    feedback.status = FeedbackStatus.CLOSED
    feedback.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, action="feedback.close", target=feedback, data={"tracking_number": feedback.tracking_number}
    )
    return feedback


def feedback_require_visible(*, user: AbstractBaseUser | None, feedback: Feedback, email: str = "") -> None:
    """The sender (signed in, or giving the address they used) and staff see an item."""
    if (
        user is not None
        and user.is_authenticated
        and (feedback.user_id == user.pk or user.has_perm("moderation.view_feedback"))
    ):
        return
    if email and email.strip().lower() == feedback.email.lower():
        return
    raise PermissionDenied(_("受理编号和邮箱不匹配。"))
