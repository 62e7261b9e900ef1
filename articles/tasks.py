"""Celery tasks of the articles app: scheduled publishing and e-mails about articles."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms.celery import app, idempotent_task

# An SMTP server that is briefly away is worth retrying; a refused address is not.
MAIL_RETRY = {"autoretry_for": (ConnectionError, TimeoutError), "retry_backoff": 5, "max_retries": 5}


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


@app.task(**MAIL_RETRY)
def send_article_notice(article_id: int, event: str, note: str = "") -> None:
    """Tell the author what happened to their article ("resubmitted" goes to the reviewing
    editor instead). Not idempotent: a second run sends a second mail, so it is never
    acknowledged late."""
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
