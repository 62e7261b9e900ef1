"""The acknowledgement e-mail of a submission: once per message, after commit (queued by
articles.mail.ingest through the outbox). Imported by ArticlesConfig.ready so every worker
knows the task."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.tasks import MAIL_TASK
from cms.celery import app
from reliability.receipts import once_per_message


def _recipient(name: str, address: str) -> str:
    # Django encodes a non-ASCII display name when it sends; the characters that would
    # break the address syntax go.
    name = re.sub(r'[\x00-\x1f"<>,;\\]', "", name).strip()
    return f"{name} <{address}>" if name else address


def _bracketed(message_id: str) -> str:
    return f"<{message_id}>"


@app.task(**MAIL_TASK)
@once_per_message
def send_submission_acknowledgement(self, submission_id: int) -> None:
    """Tell the submitter we have their manuscript (or that none came with the mail), with
    the submission number and what happens next, threaded to their message."""
    from articles.mail.models import Submission

    submission = Submission.objects.select_related("inbound").filter(pk=submission_id).first()
    if submission is None or submission.acknowledged_at is not None or not submission.sender_email:
        return
    template = "submission_empty" if submission.is_empty else "submission_ack"
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "SITE_NAME": settings.SITE_NAME,
            "submission": submission,
            "name": submission.sender_name or submission.sender_email.split("@", 1)[0],
            "days": settings.SUBMISSION_REVIEW_WORKING_DAYS,
            "title": submission.title,
        }
        subject = render_to_string(f"articles/emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"articles/emails/{template}.txt", context)
    headers = {"Message-ID": _bracketed(submission.ack_message_id), "Auto-Submitted": "auto-replied"}
    their_id = submission.inbound.thread_id
    if their_id:
        references = [*submission.inbound.references, their_id]
        headers["In-Reply-To"] = _bracketed(their_id)
        headers["References"] = " ".join(_bracketed(item) for item in references[-20:])
    EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[_recipient(submission.sender_name, submission.sender_email)],
        reply_to=[settings.SUBMISSION_EMAIL],
        headers=headers,
    ).send()
    Submission.objects.filter(pk=submission.pk).update(acknowledged_at=timezone.now())
