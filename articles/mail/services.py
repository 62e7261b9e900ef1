"""The editors' triage of e-mail submissions (PRODUCT §8): accept, reject, mark as spam, and
record the first contact of an accepted submitter.

Each service checks the permission (``articles.review_article``) and the submission's
status under a row lock, writes with ``update_fields``, records an audit entry
(moderation.services.audit_record) and queues its e-mail through the outbox, so the mail
leaves only once the decision is committed, and only once.

Quarantined messages are retried by articles.mail.ingest.submission_retry.
"""

from __future__ import annotations

import datetime
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.mail.models import Submission, SubmissionStatus
from cms.errors import StateConflict
from cms.text import as_clause

PERM_REVIEW = "articles.review_article"
MAX_MESSAGE_CHARS = 5000
# Article.title is shorter than an e-mail subject may be.
ARTICLE_TITLE_CHARS = 120
DISPLAY_FORMAT = "%Y-%m-%d %H:%M"


def _require_editor(actor: AbstractBaseUser | None, message: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_perm(PERM_REVIEW):
        raise PermissionDenied(message)


def _lock(submission: Submission) -> Submission:
    """Reload under a row lock (inside a transaction): two editors deciding at once get one
    decision and one refusal."""
    return Submission.objects.select_for_update(of=("self",)).select_related("inbound").get(pk=submission.pk)


def _require_new(submission: Submission, action: str) -> None:
    if submission.status != SubmissionStatus.NEW:
        raise StateConflict(
            _("这份投稿已经是「%(status)s」，不能再%(action)s。")
            % {"status": submission.get_status_display(), "action": action}
        )


def _clean_message(message: str, *, required: bool) -> str:
    message = (message or "").replace("\r\n", "\n").strip()
    if required and not message:
        raise ValidationError({"message": _("请写几句给投稿人的话：这封邮件会以联系编辑的名义发出。")})
    if len(message) > MAX_MESSAGE_CHARS:
        too_long = _("给投稿人的话最多 %(max)s 个字，现在有 %(n)s 个字。")
        raise ValidationError({"message": too_long % {"max": MAX_MESSAGE_CHARS, "n": len(message)}})
    return message


def _audit(*, actor: AbstractBaseUser, action: str, submission: Submission, **data) -> None:
    from moderation.services import audit_record

    audit_record(actor=actor, action=f"submission.{action}", target=submission, data=data)


def _mail(submission: Submission, event: str) -> None:
    """The decision e-mail, on commit (never to an address that cannot answer)."""
    from articles.mail.ingest import may_acknowledge
    from articles.tasks import send_submission_decision
    from reliability.outbox import outbox_enqueue

    if may_acknowledge(submission.sender_email):
        outbox_enqueue(send_submission_decision, submission.pk, event)


def sender_account(submission: Submission):
    """The site account registered with the sender's address, if there is one."""
    address = parseaddr(submission.sender_email)[1] or submission.sender_email
    if not address:
        return None
    return get_user_model().objects.filter(email__iexact=address).first()


def _require_sender_not_muted(submission: Submission) -> None:
    """A muted person may not publish (PRODUCT §5): not through the mailbox either."""
    from accounts.selectors import MUTED_PERMANENTLY, user_muted_until

    account = sender_account(submission)
    until = user_muted_until(account) if account is not None else None
    if until is None:
        return
    if until >= MUTED_PERMANENTLY:
        raise StateConflict(
            _("投稿人邮箱属于账号 %(user)s，该账号已被永久禁言，不能采用这份投稿。") % {"user": account.get_username()}
        )
    raise StateConflict(
        _("投稿人邮箱属于账号 %(user)s，该账号禁言至 %(until)s（北京时间），禁言期间不能采用这份投稿。")
        % {"user": account.get_username(), "until": timezone.localtime(until).strftime(DISPLAY_FORMAT)}
    )


def submission_manuscript(submission: Submission) -> str:
    """The manuscript for the article: the text of the manuscript file when the mail only
    carried a cover letter, otherwise the decoded text."""
    if submission.text_source == "attachment":
        attachment = submission.attachments.filter(is_manuscript=True).exclude(text="").order_by("position").first()
        if attachment is not None:
            return attachment.text.strip()
    return submission.text.strip()


def submitter_name(submission: Submission) -> str:
    """The byline: the sender's name, or the part of the address before the @."""
    return submission.sender_name.strip() or submission.sender_email.split("@", 1)[0]


@transaction.atomic
def submission_accept(
    *,
    actor: AbstractBaseUser,
    submission: Submission,
    message: str,
    contact_editor: AbstractBaseUser | None = None,
) -> Submission:
    """Accept a new submission: a draft article attributed to the external submitter (their
    name as byline, their address kept), ``contact_editor`` (the actor by default) named as
    their contact, due to get in touch within SUBMISSION_CONTACT_DUE_DAYS, and ``message``
    e-mailed to the submitter in that editor's name.

    Refused (StateConflict) when the submission is no longer new, is held by the scanner,
    or comes from the address of an account that is muted now.
    """
    from articles.services import ArticleContent, article_create_draft

    _require_editor(actor, _("只有编辑可以采用邮件投稿。"))
    contact = contact_editor or actor
    if not (contact.is_active and contact.has_perm(PERM_REVIEW)):
        raise ValidationError({"contact_editor": _("联系编辑必须是在职的编辑。")})
    message = _clean_message(message, required=True)
    submission = _lock(submission)
    _require_new(submission, _("采用"))
    if submission.held:
        raise StateConflict(
            _("这份投稿被内容审核暂扣，不能采用：%(reason)s。请先处理扫描结果（放行并写明理由，或转交社区治理）。")
            % {"reason": as_clause(submission.hold_reason or _("扫描发现疑似违规内容"))}
        )
    _require_sender_not_muted(submission)
    name = submitter_name(submission)
    article = article_create_draft(
        actor=actor,
        content=ArticleContent(
            title=(submission.title or _("邮件投稿 %(ref)s") % {"ref": submission.reference})[:ARTICLE_TITLE_CHARS],
            body=submission_manuscript(submission),
            byline=name[:60],
        ),
        external_submitter_name=name,
        external_submitter_email=submission.sender_email,
    )
    now = timezone.now()
    submission.status = SubmissionStatus.ACCEPTED
    submission.article = article
    submission.contact_editor = contact
    submission.contact_due_at = now + datetime.timedelta(days=settings.SUBMISSION_CONTACT_DUE_DAYS)
    submission.decided_by = actor
    submission.decided_at = now
    submission.decision_message = message
    submission.save(
        update_fields=[
            "status",
            "article",
            "contact_editor",
            "contact_due_at",
            "decided_by",
            "decided_at",
            "decision_message",
            "updated_at",
        ]
    )
    _audit(
        actor=actor,
        action="accept",
        submission=submission,
        article=article.pk,
        contact_editor=contact.pk,
        contact_due_at=submission.contact_due_at.isoformat(),
    )
    _mail(submission, "accepted")
    return submission


@transaction.atomic
def submission_reject(*, actor: AbstractBaseUser, submission: Submission, message: str = "") -> Submission:
    """Decline a new submission; the submitter is told (with ``message``, when given)."""
    _require_editor(actor, _("只有编辑可以处理邮件投稿。"))
    message = _clean_message(message, required=False)
    submission = _lock(submission)
    _require_new(submission, _("退稿"))
    submission.status = SubmissionStatus.REJECTED
    submission.decided_by = actor
    submission.decided_at = timezone.now()
    submission.decision_message = message
    submission.save(update_fields=["status", "decided_by", "decided_at", "decision_message", "updated_at"])
    _audit(actor=actor, action="reject", submission=submission, message=bool(message))
    _mail(submission, "rejected")
    return submission


@transaction.atomic
def submission_mark_spam(*, actor: AbstractBaseUser, submission: Submission) -> Submission:
    """Mark a new submission as spam: no answer is sent."""
    _require_editor(actor, _("只有编辑可以处理邮件投稿。"))
    submission = _lock(submission)
    _require_new(submission, _("标为垃圾邮件"))
    submission.status = SubmissionStatus.SPAM
    submission.decided_by = actor
    submission.decided_at = timezone.now()
    submission.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    _audit(actor=actor, action="spam", submission=submission)
    return submission


@transaction.atomic
def submission_record_contact(*, actor: AbstractBaseUser, submission: Submission) -> Submission:
    """The contact editor (or another editor for them) has been in touch with the submitter:
    the submission stops counting as overdue."""
    _require_editor(actor, _("只有编辑可以记录与投稿人的联系。"))
    submission = _lock(submission)
    if submission.status != SubmissionStatus.ACCEPTED:
        raise StateConflict(_("只有已采用的投稿需要记录首次联系。"))
    if submission.contacted_at is not None:
        raise StateConflict(
            _("已在 %(when)s 记录过首次联系。")
            % {"when": timezone.localtime(submission.contacted_at).strftime(DISPLAY_FORMAT)}
        )
    submission.contacted_at = timezone.now()
    submission.save(update_fields=["contacted_at", "updated_at"])
    _audit(
        actor=actor,
        action="contact",
        submission=submission,
        overdue=bool(submission.contact_due_at and submission.contacted_at > submission.contact_due_at),
    )
    return submission
