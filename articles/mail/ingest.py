"""The one ingest service of e-mail submissions (PRODUCT §8): every front door calls it.

    result = submission_ingest(raw=message_bytes, source="pipe")   # or "imap", "smtp"…
    result.outcome   # submission | duplicate | ignored_auto_reply | ignored_bulk | bounce |
                     # quarantined | submission_empty  (PRODUCT §12)

It works in two transactions, and must be called outside any transaction (inside one,
both become savepoints of the caller's and nothing is durable until the caller commits):

1. the raw bytes are stored (InboundMessage, status ``received``) and committed before
   anything else is attempted — nothing is ever lost. A database that is away fails here,
   with OperationalError or InterfaceError, so the caller can ask for a retry (the pipe
   command exits 75 and the MTA redelivers). The same bytes stored earlier but never
   processed (the database went away in between) are picked up again, not stored twice.
2. under a row lock: the Message-ID is claimed (one first delivery per Message-ID, by a
   database constraint; later ones are ``duplicate``), the message is parsed
   (articles.mail.parse, pure), and the outcome written: a Submission with its attachments,
   threaded to an earlier submission through In-Reply-To/References (our
   acknowledgement's Message-ID included), scanned on commit, acknowledged on commit
   through the outbox; or ``ignored`` (auto-replies, bulk mail, bounces — never
   answered); or ``quarantined`` with the reason, for a person, who can
   ``submission_retry`` it once the parser is fixed.

Parsing never raises out of here: whatever the parser does not expect is a quarantine
with the error as the reason (and logged), and the raw message stays.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass, field
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.mail.models import (
    InboundMessage,
    InboundStatus,
    IngestOutcome,
    Submission,
    SubmissionAttachment,
)
from articles.mail.parse import AUTO_REPLY, BOUNCE, BULK, ParsedMail, Unparseable, parse_message, read_headers
from cms.errors import StateConflict

logger = logging.getLogger(__name__)

PERM_REVIEW = "articles.review_article"
# The stand-in Message-ID of a message that has none: this prefix and the SHA-256 of its bytes.
NO_MESSAGE_ID_PREFIX = "no-message-id.sha256-"  # InboundMessage.thread_id knows it
# In-Reply-To and References together: enough for any real thread, bounded for nonsense.
MAX_THREAD_IDS = 50
_KIND_OUTCOME = {
    AUTO_REPLY: IngestOutcome.IGNORED_AUTO_REPLY,
    BULK: IngestOutcome.IGNORED_BULK,
    BOUNCE: IngestOutcome.BOUNCE,
}
_NO_REPLY = re.compile(r"^(?:no-?reply|do-?not-?reply|donotreply|noreply-.*|bounce[s]?(?:[-+].*)?)$", re.IGNORECASE)


@dataclass(frozen=True)
class IngestResult:
    outcome: str
    inbound_id: int
    submission_id: int | None = None
    title: str = ""
    sender_email: str = ""
    sender_name: str = ""
    attachments: list[str] = field(default_factory=list)
    thread_of: int | None = None
    reason: str = ""
    duplicate_of: int | None = None  # the InboundMessage this one repeats

    def as_json(self) -> dict:
        """The object `ingest_email --json` prints (PRODUCT §12, plus inbound_id and reason)."""
        return {
            "outcome": self.outcome,
            "submission_id": self.submission_id,
            "title": self.title,
            "sender_email": self.sender_email,
            "sender_name": self.sender_name,
            "attachments": list(self.attachments),
            "thread_of": self.thread_of,
            "inbound_id": self.inbound_id,
            "reason": self.reason,
        }


def clean_text(value: str | None) -> str:
    """Text any database accepts: no NUL, no lone surrogates."""
    if not value:
        return ""
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# Step 1: the raw bytes, committed first


def inbound_store(*, raw: bytes, source: str) -> InboundMessage:
    """Store ``raw`` and commit. Raises only when the database is unavailable."""
    raw = bytes(raw)
    digest = hashlib.sha256(raw).hexdigest()
    headers = read_headers(raw)  # never raises
    with transaction.atomic():
        pending = (
            InboundMessage.objects.filter(sha256=digest, status=InboundStatus.RECEIVED)
            .defer("raw")
            .order_by("pk")
            .first()
        )
        if pending is not None:
            return pending  # stored before, never processed (interrupted): the same message
        return InboundMessage.objects.create(
            raw=raw,
            size=len(raw),
            sha256=digest,
            source=clean_text(source)[:20],
            # Without a Message-ID the bytes themselves identify the message, so an identical
            # redelivery is still a duplicate.
            message_id=clean_text(headers.message_id)[:255] or f"{NO_MESSAGE_ID_PREFIX}{digest}",
            subject=clean_text(headers.subject)[:300],
            sender_email=clean_text(headers.sender_email)[:254],
            sender_name=clean_text(headers.sender_name)[:200],
            sent_at=headers.date,
            in_reply_to=[clean_text(i) for i in headers.in_reply_to[:MAX_THREAD_IDS]],
            references=[clean_text(i) for i in headers.references[:MAX_THREAD_IDS]],
        )


# Step 2: parse and decide


def submission_ingest(*, raw: bytes, source: str) -> IngestResult:
    """Turn raw RFC 5322 bytes into a Submission (or say why not); see the module docstring."""
    raw = bytes(raw)
    inbound = inbound_store(raw=raw, source=source)
    return _process_or_quarantine(inbound.pk, raw=raw)


def submission_retry(*, inbound_message: InboundMessage, actor: AbstractBaseUser | None = None) -> IngestResult:
    """Parse a quarantined (or interrupted) message again, e.g. after the parser was fixed.

    ``actor`` None is the system or an operator's command; a person must be an editor.
    """
    from moderation.services import audit_record

    if actor is not None and not (actor.is_authenticated and actor.has_perm(PERM_REVIEW)):
        raise PermissionDenied(_("只有编辑可以重新解析隔离的邮件。"))
    with transaction.atomic():
        inbound = InboundMessage.objects.select_for_update().defer("raw").get(pk=inbound_message.pk)
        if inbound.status not in (InboundStatus.QUARANTINED, InboundStatus.RECEIVED):
            raise StateConflict(_("只有已隔离或尚未处理的邮件可以重新解析。"))
        previous_reason = inbound.reason
        inbound.status = InboundStatus.RECEIVED
        inbound.save(update_fields=["status"])
        audit_record(actor=actor, action="inbound.retry", target=inbound, data={"previous_reason": previous_reason})
    return _process_or_quarantine(inbound.pk)


def _process_or_quarantine(inbound_id: int, *, raw: bytes | None = None) -> IngestResult:
    """Step 2, and what to do when it fails. The database or the disk away (OperationalError,
    InterfaceError, OSError) is temporary: it propagates, the message stays ``received`` and a
    redelivery resumes it. Anything else is a bug a person must see: the step is rolled back
    and the message quarantined with the error."""
    try:
        return _process(inbound_id, raw=raw)
    except (OperationalError, InterfaceError, OSError):
        raise
    except Exception as error:
        logger.exception("Ingesting inbound message %s failed", inbound_id)
        with transaction.atomic():
            inbound = InboundMessage.objects.select_for_update().defer("raw").get(pk=inbound_id)
            if inbound.status != InboundStatus.RECEIVED:
                return result_for(inbound)
            inbound.processed_at = timezone.now()
            return _quarantine(
                inbound, _("处理时出错：%(error)s") % {"error": f"{type(error).__name__}: {error}"[:500]}
            )


def _process(inbound_id: int, *, raw: bytes | None = None) -> IngestResult:
    """Step 2. ``raw``: the bytes just stored, when the caller has them (a message at the
    size limit is then not read back from the database)."""
    with transaction.atomic():
        inbound = InboundMessage.objects.select_for_update().defer("raw").get(pk=inbound_id)
        if inbound.status != InboundStatus.RECEIVED:
            return result_for(inbound)  # another process got here first
        inbound.attempts += 1
        inbound.processed_at = timezone.now()
        max_message = _limit("SUBMISSION_MAX_MESSAGE_BYTES", 25 * 1024 * 1024)
        original = _claim_message_id(inbound)
        if original is not None:
            return _finish_duplicate(inbound, original)
        if inbound.size > max_message:
            return _quarantine(
                inbound,
                _("邮件大小 %(size)s 字节，超过上限 %(limit)s 字节（SUBMISSION_MAX_MESSAGE_BYTES），未解析。")
                % {"size": inbound.size, "limit": max_message},
            )
        try:
            parsed = parse_message(
                raw if raw is not None else bytes(inbound.raw),
                max_attachment_bytes=_limit("SUBMISSION_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024),
            )
        except Unparseable as error:
            return _quarantine(inbound, error.reason)
        except Exception as error:  # a parser bug must not lose the message: a person looks at it
            logger.exception("Parsing inbound message %s failed", inbound.pk)
            return _quarantine(
                inbound, _("解析时出错：%(error)s") % {"error": f"{type(error).__name__}: {error}"[:500]}
            )
        _refresh_headers(inbound, parsed)
        if parsed.kind in _KIND_OUTCOME:
            return _ignore(inbound, _KIND_OUTCOME[parsed.kind], parsed.kind_reason)
        if _is_own_address(parsed.headers.sender_email):
            return _ignore(inbound, IngestOutcome.IGNORED_AUTO_REPLY, _("来自本站自己的地址，按邮件回环忽略。"))
        return _create_submission(inbound, parsed)


def _claim_message_id(inbound: InboundMessage) -> InboundMessage | None:
    """Make ``inbound`` the first delivery of its Message-ID, or return the one that is.

    The conditional unique constraint decides: on PostgreSQL a concurrent claim waits for
    the other transaction and then fails here, so two deliveries never both win.
    """
    if not inbound.message_id or inbound.is_first_of_message_id:
        return None
    try:
        with transaction.atomic():
            InboundMessage.objects.filter(pk=inbound.pk).update(is_first_of_message_id=True)
    except IntegrityError:
        return (
            InboundMessage.objects.filter(message_id=inbound.message_id, is_first_of_message_id=True)
            .exclude(pk=inbound.pk)
            .first()
        )
    inbound.is_first_of_message_id = True
    return None


def _refresh_headers(inbound: InboundMessage, parsed: ParsedMail) -> None:
    headers = parsed.headers
    inbound.subject = clean_text(headers.subject)[:300]
    inbound.sender_email = clean_text(headers.sender_email)[:254]
    inbound.sender_name = clean_text(headers.sender_name)[:200]
    inbound.sent_at = headers.date


_PROCESSED_FIELDS = [
    "status",
    "outcome",
    "reason",
    "attempts",
    "processed_at",
    "subject",
    "sender_email",
    "sender_name",
    "sent_at",
    "duplicate_of",
]


def _finish(inbound: InboundMessage, *, status: str, outcome: str, reason: str = "") -> None:
    inbound.status = status
    inbound.outcome = outcome
    inbound.reason = clean_text(reason)
    inbound.save(update_fields=_PROCESSED_FIELDS)


def _finish_duplicate(inbound: InboundMessage, original: InboundMessage | None) -> IngestResult:
    inbound.duplicate_of = original
    _finish(
        inbound,
        status=InboundStatus.DUPLICATE,
        outcome=IngestOutcome.DUPLICATE,
        reason=_("与第 %(id)s 封邮件的 Message-ID 相同，是重复投递。") % {"id": original.pk if original else "?"},
    )
    return result_for(inbound)


def _quarantine(inbound: InboundMessage, reason: str) -> IngestResult:
    from moderation.services import audit_record

    _finish(inbound, status=InboundStatus.QUARANTINED, outcome=IngestOutcome.QUARANTINED, reason=reason)
    audit_record(actor=None, action="inbound.quarantine", target=inbound, data={"reason": inbound.reason[:500]})
    return result_for(inbound)


def _ignore(inbound: InboundMessage, outcome: str, reason: str) -> IngestResult:
    _finish(inbound, status=InboundStatus.IGNORED, outcome=outcome, reason=reason)
    return result_for(inbound)


def _address_of(value: str) -> str:
    return parseaddr(value)[1].lower()


def _is_own_address(address: str) -> bool:
    own = {_address_of(settings.SUBMISSION_EMAIL), _address_of(settings.DEFAULT_FROM_EMAIL)} - {""}
    return address.lower() in own


def may_acknowledge(address: str) -> bool:
    """Whether an acknowledgement to ``address`` can reach a person (not noreply@…)."""
    local = address.split("@", 1)[0]
    return "@" in address and not _NO_REPLY.match(local)


def _thread_root(inbound: InboundMessage) -> Submission | None:
    """The earliest submission of the thread this message answers, if we have it: through
    In-Reply-To first, then References from the newest — their messages' ids, or our
    acknowledgements' ids."""
    wanted: list[str] = []
    for item in [*inbound.in_reply_to, *reversed(inbound.references)]:
        if item and item not in wanted and item != inbound.message_id:
            wanted.append(item)
    wanted = wanted[:MAX_THREAD_IDS]
    if not wanted:
        return None
    candidates = Submission.objects.filter(inbound__message_id__in=wanted).select_related("inbound")
    by_message = {s.inbound.message_id: s for s in candidates}
    by_ack = {s.ack_message_id: s for s in Submission.objects.filter(ack_message_id__in=wanted)}
    for item in wanted:
        found = by_message.get(item) or by_ack.get(item)
        if found is not None:
            return found.thread_parent if found.thread_parent_id else found
    return None


def ack_message_id_for(submission: Submission) -> str:
    """``ack-<id>-<token>@<domain of SUBMISSION_EMAIL>``, normalised (no angle brackets)."""
    domain = _address_of(settings.SUBMISSION_EMAIL).rpartition("@")[2] or "localhost"
    return f"ack-{submission.pk}-{secrets.token_hex(6)}@{domain}".lower()


def _submission_text(parsed: ParsedMail) -> str:
    """What the editors read: the letter, then the manuscript when it came as a file."""
    if parsed.text_source == "attachment" and parsed.cover_note.strip():
        return f"{parsed.cover_note.strip()}\n\n---\n\n{parsed.text.strip()}"
    return parsed.text.strip()


def _create_submission(inbound: InboundMessage, parsed: ParsedMail) -> IngestResult:
    from articles.mail.tasks import send_submission_acknowledgement
    from moderation.services import audit_record, scan_request
    from reliability.outbox import outbox_enqueue

    thread_root = _thread_root(inbound)
    submission = Submission.objects.create(
        inbound=inbound,
        title=clean_text(parsed.title)[:300],
        text=clean_text(_submission_text(parsed)),
        text_source=parsed.text_source,
        cover_note=clean_text(parsed.cover_note),
        quoted_text=clean_text(parsed.quoted),
        sender_email=clean_text(parsed.headers.sender_email)[:254],
        sender_name=clean_text(parsed.headers.sender_name)[:200],
        thread_parent=thread_root,
        created_at=inbound.received_at,
    )
    submission.ack_message_id = ack_message_id_for(submission)
    submission.save(update_fields=["ack_message_id"])
    for position, attachment in enumerate(parsed.attachments):
        row = SubmissionAttachment(
            submission=submission,
            filename=clean_text(attachment.filename)[:255] or f"attachment-{position + 1}",
            content_type=clean_text(attachment.content_type)[:127],
            size=attachment.size,
            text=clean_text(attachment.text),
            is_manuscript=attachment.is_manuscript,
            is_candidate_cover=attachment.is_image and attachment.data is not None,
            skipped_reason=clean_text(attachment.skipped_reason or attachment.error)[:300],
            position=position,
        )
        if attachment.data is not None:
            row.file.save(row.filename, ContentFile(attachment.data), save=False)
        row.save()
    empty = not parsed.text.strip()
    _finish(
        inbound,
        status=InboundStatus.PARSED,
        outcome=IngestOutcome.SUBMISSION_EMPTY if empty else IngestOutcome.SUBMISSION,
        reason="\n".join(parsed.notes),
    )
    audit_record(
        actor=None,
        action="submission.receive",
        target=submission,
        data={"inbound": inbound.pk, "outcome": inbound.outcome, "thread_of": thread_root.pk if thread_root else None},
    )
    scan_request(obj=submission)
    if may_acknowledge(submission.sender_email):
        outbox_enqueue(send_submission_acknowledgement, submission.pk)
    return result_for(inbound, submission=submission)


def result_for(inbound: InboundMessage, *, submission: Submission | None = None) -> IngestResult:
    """The IngestResult of a message already processed (read back from the database)."""
    if submission is None and inbound.status == InboundStatus.PARSED:
        submission = Submission.objects.filter(inbound=inbound).first()
    if submission is None and inbound.status == InboundStatus.DUPLICATE and inbound.duplicate_of_id:
        submission = Submission.objects.filter(inbound_id=inbound.duplicate_of_id).first()
    attachments: list[str] = []
    thread_of = None
    if submission is not None and submission.inbound_id == inbound.pk:
        attachments = list(submission.attachments.order_by("position", "pk").values_list("filename", flat=True))
        thread_of = submission.thread_parent_id
    return IngestResult(
        outcome=inbound.outcome or IngestOutcome.QUARANTINED,
        inbound_id=inbound.pk,
        submission_id=submission.pk if submission is not None else None,
        title=submission.title if submission is not None and submission.inbound_id == inbound.pk else inbound.subject,
        sender_email=inbound.sender_email,
        sender_name=inbound.sender_name,
        attachments=attachments,
        thread_of=thread_of,
        reason=inbound.reason,
        duplicate_of=inbound.duplicate_of_id,
    )
