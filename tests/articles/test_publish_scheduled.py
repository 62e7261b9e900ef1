import datetime
import threading
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleStatus
from articles.tasks import publish_scheduled
from moderation.models import AuditEntry
from tests.articles.conftest import in_an_hour, make_approved


def _schedule_due(author, editor, count=3):
    articles = []
    for i in range(count):
        article = services.article_schedule(
            actor=editor, article=make_approved(author, editor, title=f"定时文章 {i}"), publish_at=in_an_hour()
        )
        articles.append(article)
    # the hour has passed
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(
        scheduled_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    return articles


@pytest.mark.django_db
def test_running_twice_publishes_each_article_once(author, editor, django_capture_on_commit_callbacks):
    # given three articles whose time has come and one still in the future
    due = _schedule_due(author, editor)
    later = services.article_schedule(actor=editor, article=make_approved(author, editor), publish_at=in_an_hour())
    mail.outbox.clear()
    # when the beat task runs, and then the command runs again
    with django_capture_on_commit_callbacks(execute=True):
        first = publish_scheduled.delay().get()
    with django_capture_on_commit_callbacks(execute=True):
        out = StringIO()
        call_command("publish_scheduled", stdout=out)
    # then each due article was published exactly once
    assert sorted(first) == sorted(a.pk for a in due)
    assert "已发布 0 篇" in out.getvalue()
    for article in due:
        article.refresh_from_db()
        assert article.status == ArticleStatus.PUBLISHED
        assert AuditEntry.objects.filter(action="article.publish", target_id=str(article.pk)).count() == 1
    assert len([m for m in mail.outbox if "已发布" in m.subject]) == len(due)
    later.refresh_from_db()
    assert later.status == ArticleStatus.SCHEDULED


@pytest.mark.django_db
def test_held_scheduled_article_waits(author, editor):
    from articles.moderation import ArticleAdapter

    (article,) = _schedule_due(author, editor, count=1)
    ArticleAdapter(Article).hold(article, reason="扫描拦截")
    assert services.article_publish_due() == []
    article.refresh_from_db()
    assert article.status == ArticleStatus.SCHEDULED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_publish_each_article_once(author, editor):
    # given due articles
    due = _schedule_due(author, editor, count=6)
    results: list[list[int]] = []
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            results.append(services.article_publish_due())
        finally:
            connection.close()

    # when two workers run at once
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then every article was published by exactly one of them
    published = [pk for result in results for pk in result]
    assert sorted(published) == sorted(a.pk for a in due)
    assert AuditEntry.objects.filter(action="article.publish").count() == len(due)


@pytest.mark.worker
def test_a_real_worker_publishes_due_articles_once(celery_worker, author, editor):
    # given due articles, committed so the worker's own connection sees them
    due = _schedule_due(author, editor, count=2)
    # when beat's task runs twice on a real worker
    first = publish_scheduled.delay().get(timeout=60)
    second = publish_scheduled.delay().get(timeout=60)
    # then
    assert sorted(first) == sorted(a.pk for a in due) and second == []
    assert Article.objects.filter(status=ArticleStatus.PUBLISHED).count() == 2
