"""The same message delivered twice has one effect: a scan, an e-mail notice, a publication.

A message comes twice when a worker dies before acknowledging it, or when the outbox hands
over a row again; either way it carries the same Celery task id.
"""

import uuid
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from articles.models import Article, ArticleStatus
from articles.tasks import publish_scheduled, send_article_notice
from moderation.models import Finding, ScanRecord
from moderation.tasks import scan_object
from reliability.models import TaskReceipt
from tests.articles.conftest import make_approved, make_published, make_submitted

pytestmark = pytest.mark.django_db

FLAGGED = "这篇文章讲私域运营的做法。想要完整资料的读者，加我薇信 abc123 领取内部资料。"


def _deliver_twice(task, *args):
    message_id = str(uuid.uuid4())
    return [task.apply(args=args, task_id=message_id, throw=True).get() for _ in range(2)]


def test_a_scan_delivered_twice_stores_one_record_and_its_findings_once(author, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_submitted(author, body=FLAGGED)
    findings = Finding.objects.filter(record__object_id=article.pk).count()
    assert findings > 0
    content_type = ContentType.objects.get_for_model(Article)
    first, second = _deliver_twice(scan_object, content_type.pk, article.pk)
    assert first["record"] == second["record"]
    assert ScanRecord.objects.filter(content_type=content_type, object_id=article.pk).count() == 1
    assert Finding.objects.filter(record__object_id=article.pk).count() == findings


def test_an_email_notice_delivered_twice_is_sent_once(author, editor, mailoutbox):
    article = make_published(author, editor)
    mailoutbox.clear()
    _deliver_twice(send_article_notice, article.pk, "published", "")
    assert len(mailoutbox) == 1
    assert TaskReceipt.objects.filter(task_name="articles.tasks.send_article_notice").count() == 1


def test_two_messages_are_two_notices(author, editor, mailoutbox):
    # a receipt is per message, not per article and event: a second real event still mails
    article = make_published(author, editor)
    mailoutbox.clear()
    send_article_notice.apply(args=(article.pk, "published", ""), throw=True)
    send_article_notice.apply(args=(article.pk, "published", ""), throw=True)
    assert len(mailoutbox) == 2


def test_a_failed_send_leaves_no_receipt_so_the_retry_sends(author, editor, mailoutbox, settings):
    article = make_published(author, editor)
    mailoutbox.clear()
    message_id = str(uuid.uuid4())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    with pytest.raises(Exception):
        send_article_notice.apply(args=(article.pk, "published", ""), task_id=message_id, throw=True)
    assert not TaskReceipt.objects.filter(message_id=message_id).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_article_notice.apply(args=(article.pk, "published", ""), task_id=message_id, throw=True)
    assert len(mailoutbox) == 1


def test_the_scheduled_publication_delivered_twice_publishes_once(
    author, editor, mailoutbox, django_capture_on_commit_callbacks
):
    from articles.services import article_schedule

    article = make_approved(author, editor)
    article = article_schedule(actor=editor, article=article, publish_at=timezone.now() + timedelta(minutes=5))
    Article.objects.filter(pk=article.pk).update(scheduled_at=timezone.now() - timedelta(seconds=1))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first, second = _deliver_twice(publish_scheduled)
    assert (first, second) == ([article.pk], [])
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert [m.subject for m in mailoutbox].count(mailoutbox[0].subject) == 1
