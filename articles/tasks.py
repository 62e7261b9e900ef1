"""Celery tasks of the articles app: scheduled publishing and e-mails about articles."""

import re

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.tasks import MAIL_TASK
from cms.celery import app, idempotent_task
from reliability.receipts import once_per_message


@idempotent_task
def publish_scheduled() -> list[int]:
    """Publish the scheduled articles whose time has come (beat, every minute).

    Safe to run twice or in two workers at once: rows are chosen by status under
    SELECT … FOR UPDATE SKIP LOCKED (articles.services.article_publish_due).
    """
    from articles.services import article_publish_due

    return article_publish_due()


def _subject(event: str, title: str) -> str:
    subjects = {
        "submitted": _("已收到你的投稿《%(title)s》"),
        "resubmitted": _("作者已提交修改稿《%(title)s》"),
        "changes_requested": _("编辑请你修改《%(title)s》"),
        "approved": _("《%(title)s》已通过审核"),
        "scheduled": _("《%(title)s》已安排定时发布"),
        "published": _("《%(title)s》已发布"),
        "unpublished": _("《%(title)s》已下线"),
        "declined": _("关于你的投稿《%(title)s》"),
        "removed": _("《%(title)s》因违反社区公约被处理"),
    }
    return f"{subjects[event] % {'title': title}} · {settings.SITE_NAME}"


@idempotent_task
def purge_article_cache(article_id: int) -> None:
    """Forget the cached pages of an article and the lists (queued by every change to it).

    Raises ConnectionError while the cache is unreachable, so the outbox or Celery's
    retries run it again: a purge lost during an outage would leave a stale page after it.
    Safe to run any number of times.
    """
    from articles.cache import purge_article
    from articles.models import Article
    from reliability.cache import cache_errors_raised

    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return
    with cache_errors_raised():
        purge_article(article)


@app.task(**MAIL_TASK)
@once_per_message
def send_article_notice(self, article_id: int, event: str, note: str = "") -> None:
    """Tell the author what happened to their article ("resubmitted" goes to the reviewing
    editor instead). Once per message: a redelivered message sends no second mail."""
    from articles.models import Article

    article = Article.objects.select_related("author", "claimed_by").filter(pk=article_id).first()
    if article is None:
        return
    if event == "resubmitted":
        recipient = article.claimed_by.email if article.claimed_by_id else ""
        name = article.claimed_by.display_name if article.claimed_by_id else ""
    elif article.author_id:
        recipient, name = article.author.email, article.author.display_name
    else:
        recipient, name = article.external_submitter_email, article.external_submitter_name
    if not recipient:
        return
    with translation.override(settings.LANGUAGE_CODE):
        scheduled_at = timezone.localtime(article.scheduled_at) if article.scheduled_at else None
        context = {
            "SITE_NAME": settings.SITE_NAME,
            "SITE_URL": settings.SITE_URL,
            "article": article,
            "event": event,
            "name": name or _("你"),
            "note": note,
            "scheduled_at": scheduled_at,
        }
        subject = _subject(event, article.title)
        body = render_to_string("articles/emails/notice.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])


@idempotent_task(acks_late=False, max_retries=0)
def poll_submission_mailbox() -> dict:
    """Fetch unseen messages from INBOUND_IMAP_URL into e-mail submissions (beat, every
    minute); does nothing when it is not set. Bounded by INBOUND_IMAP_BATCH per run.

    Not retried by Celery: the next minute's run is the retry, and a message is flagged
    seen only after its submission is committed (articles.mail.imap), so a run that dies
    halfway leaves the rest for the next one. Safe to run twice: a message fetched again
    is a duplicate.
    """
    from articles.mail.imap import mailbox_poll

    if not settings.INBOUND_IMAP_URL:
        return {}
    return mailbox_poll(url=settings.INBOUND_IMAP_URL, limit=settings.INBOUND_IMAP_BATCH).as_dict()


def _display_address(name: str, address: str) -> str:
    """'名字 <address>' for Django to encode when it sends (formataddr would encode it already,
    twice over); characters that would break the address syntax are dropped from the name."""
    name = re.sub(r'[\x00-\x1f"<>,;\\]', "", name or "").strip()
    return f"{name} <{address}>" if name else address


@app.task(**MAIL_TASK)
@once_per_message
def send_submission_decision(self, submission_id: int, event: str) -> None:
    """Tell an e-mail submitter what the editors decided (queued on commit by
    articles.mail.services): "accepted" carries the contact editor's message in their name,
    with replies going to that editor; "rejected" the optional message. Threaded to the
    submitter's own message. Once per message: a redelivery sends nothing twice."""
    from email.utils import make_msgid, parseaddr

    from django.core.mail import EmailMessage

    from articles.mail.models import Submission
    from articles.mail.services import submitter_name

    submission = (
        Submission.objects.select_related("inbound", "contact_editor", "article").filter(pk=submission_id).first()
    )
    if submission is None or not submission.sender_email or event not in ("accepted", "rejected"):
        return
    editor = submission.contact_editor if event == "accepted" else None
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "SITE_NAME": settings.SITE_NAME,
            "submission": submission,
            "name": submitter_name(submission),
            "title": submission.title or submission.reference,
            "editor_name": editor.display_name if editor else "",
            "message": submission.decision_message,
            "due_days": settings.SUBMISSION_CONTACT_DUE_DAYS,
        }
        subject = render_to_string(f"articles/emails/submission_{event}_subject.txt", context).strip()
        body = render_to_string(f"articles/emails/submission_{event}.txt", context)
    domain = parseaddr(settings.SUBMISSION_EMAIL)[1].rpartition("@")[2] or None
    headers = {"Message-ID": make_msgid(f"decision-{submission.pk}", domain=domain)}
    their_id = submission.inbound.thread_id  # "" when the message had no Message-ID
    if their_id:
        headers["In-Reply-To"] = f"<{their_id}>"
        headers["References"] = " ".join(f"<{item}>" for item in [*submission.inbound.references[-19:], their_id])
    reply_to = [_display_address(editor.display_name, editor.email)] if editor and editor.email else []
    EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[_display_address(submission.sender_name, submission.sender_email)],
        reply_to=reply_to or [settings.SUBMISSION_EMAIL],
        headers=headers,
    ).send()


from articles.images.tasks import image_renditions_make  # noqa: E402, F401  (the worker registers it from here)


@idempotent_task
def purge_trash() -> list[int]:
    """Delete for good the articles that have been in the trash 30 days (beat, daily).

    Safe to run twice: rows are picked by trashed_at under SKIP LOCKED and a purged row is
    gone (articles.trash.article_trash_purge_due).
    """
    from articles.trash import article_trash_purge_due

    return article_trash_purge_due()
