"""The task outbox: work a write queues is stored with the write and survives a broker that
is away (reliability.outbox)."""

from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.db import transaction
from django.utils import timezone

from articles.models import ArticleStatus
from cms.celery import ping
from moderation.models import ScanRecord
from reliability.models import OutboxTask
from reliability.outbox import outbox_enqueue, outbox_sweep
from tests.articles.conftest import make_draft
from tests.reliability.conftest import celery_broker

pytestmark = pytest.mark.django_db


def test_a_write_stores_its_tasks_in_its_own_transaction_and_runs_them_on_commit(
    author, mailoutbox, django_capture_on_commit_callbacks
):
    from articles.services import article_submit

    draft = make_draft(author)
    # when the author submits (the scan and the e-mail are queued)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article_submit(actor=author, article=draft)
    # then both wait in the outbox, and nothing ran before the commit
    assert sorted(OutboxTask.objects.values_list("task_name", flat=True)) == [
        "articles.tasks.send_article_notice",
        "moderation.tasks.scan_object",
    ]
    assert not ScanRecord.objects.filter(object_id=draft.pk).exists()
    # when the commit hooks run, the tasks run (eager) and leave the outbox
    for callback in callbacks:
        callback()
    assert ScanRecord.objects.filter(object_id=draft.pk, is_latest=True).count() == 1
    assert len(mailoutbox) == 1
    assert not OutboxTask.objects.exists()


def test_a_rolled_back_write_queues_nothing(author, django_capture_on_commit_callbacks):
    from articles.services import article_submit

    draft = make_draft(author)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        article_submit(actor=author, article=draft)
        raise RuntimeError("the write fails after queueing")
    assert callbacks == []
    assert not OutboxTask.objects.exists()
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT


def test_with_the_broker_unreachable_the_write_commits_and_its_tasks_wait(
    author, dead_port, mailoutbox, django_capture_on_commit_callbacks
):
    from articles.services import article_submit

    draft = make_draft(author)
    # given a broker nobody listens on
    # when the author submits: no exception reaches them
    with celery_broker(f"redis://127.0.0.1:{dead_port}/0"), django_capture_on_commit_callbacks(execute=True):
        article = article_submit(actor=author, article=draft)
    # then the submission is stored and its scan and e-mail wait in the outbox
    article.refresh_from_db()
    assert article.status == ArticleStatus.SUBMITTED
    waiting = OutboxTask.objects.order_by("task_name")
    assert [(row.task_name, row.attempts) for row in waiting] == [
        ("articles.tasks.send_article_notice", 1),
        ("moderation.tasks.scan_object", 1),
    ]
    assert waiting[0].last_error
    assert mailoutbox == []
    # when the sweeper finds them a minute later, with a broker that works (eager here)
    OutboxTask.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    assert outbox_sweep() == 2
    # then the work is done once, and the outbox is empty
    assert ScanRecord.objects.filter(object_id=article.pk, is_latest=True).count() == 1
    assert len(mailoutbox) == 1
    assert not OutboxTask.objects.exists()


def test_the_sweeper_leaves_young_rows_and_works_in_bounded_batches(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # as if every hand-over had failed
        rows = [outbox_enqueue(ping) for _ in range(5)]
    old = [row.pk for row in rows[:3]]
    OutboxTask.objects.filter(pk__in=old).update(created_at=timezone.now() - timedelta(minutes=5))
    # the first sweep takes a batch of two of the old rows, the oldest first
    assert outbox_sweep(batch=2) == 2
    assert set(OutboxTask.objects.values_list("pk", flat=True)) == {old[2], rows[3].pk, rows[4].pk}
    # the next takes the last old row and leaves the two that are younger than a minute
    assert outbox_sweep(batch=2) == 1
    assert set(OutboxTask.objects.values_list("pk", flat=True)) == {rows[3].pk, rows[4].pk}


def test_the_sweeper_runs_every_minute_from_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]
    assert entry["task"] == "reliability.tasks.outbox_sweep"
    assert entry["schedule"] == crontab()  # every minute
