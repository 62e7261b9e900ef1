"""One home for "run this task after the transaction commits, and never lose it".

`task.delay_on_commit()` publishes from an on-commit hook: with the broker down it raises
after the data is stored (a 500 for a write that happened) and the task is gone. Here the
task is first written as an OutboxTask row in the writer's transaction; on commit it is
handed to Celery and the row deleted once the broker accepted it (or, in eager mode, once
it ran). A row that could not be handed over stays, and `outbox_sweep` (beat, every
minute) hands it over again. Every task queued this way must be safe to deliver twice:
idempotent (cms.celery.idempotent_task) or run once per message (reliability.receipts) —
the row's id is the Celery task id, so a republished row is the same message.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import current_app
from celery.exceptions import Retry
from django.db import connection, transaction
from django.utils import timezone

from cms.celery import TRANSIENT_ERRORS as TASK_TRANSIENT_ERRORS
from reliability.models import OutboxTask, TaskReceipt
from reliability.ratecounter import rate_counters_delete_expired

logger = logging.getLogger(__name__)

# A task run here that failed on one of these (or asked Celery to retry it later) is worth
# trying again later; anything else is a bug.
TRANSIENT_ERRORS = (*TASK_TRANSIENT_ERRORS, Retry)

# A row younger than this is still being handed over by the process that wrote it.
SWEEP_MIN_AGE = timedelta(minutes=1)
# Rows per sweep: a minute's backlog of a busy site, handed over in well under a minute, and
# a bounded transaction. What is left waits for the next minute.
SWEEP_BATCH = 200
# Receipts only have to outlive redeliveries (visibility timeout, retries with backoff).
RECEIPT_LIFETIME = timedelta(days=7)
# Publishing while the broker is away: one quick retry, then leave it to the sweeper
# rather than make the writer's request wait.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0.1, "interval_step": 0.2, "interval_max": 0.2}


def outbox_enqueue(task, *args, run_here: bool = False) -> OutboxTask:
    """Queue `task(*args)` (JSON-serialisable ids and strings) to run once the current
    transaction commits; durable: stored with the transaction and retried until handed over.

    `run_here`: run the task in this process right after commit (through Celery's apply,
    with its retries), and hand it to the broker only if that failed — for work the next
    request must already see, such as a cache purge. It must then raise on failure.
    """
    row = OutboxTask.objects.create(task_name=task.name, args=list(args))
    transaction.on_commit(lambda: _dispatch(row, run_here=run_here))
    return row


def _task(row: OutboxTask):
    return current_app.tasks[row.task_name]


def _eager() -> bool:
    return bool(current_app.conf.task_always_eager)


def outbox_enqueue_many(task, args_list) -> list[OutboxTask]:
    """`outbox_enqueue` for many calls of one task (a batch job's e-mails): one INSERT, and
    one on-commit hook that hands them all over and deletes the handed rows in one DELETE."""
    rows = [OutboxTask(task_name=task.name, args=list(args)) for args in args_list]
    if not rows:
        return []
    OutboxTask.objects.bulk_create(rows, batch_size=500)
    transaction.on_commit(lambda: _dispatch_many(rows))
    return rows


def _dispatch(row: OutboxTask, *, run_here: bool = False) -> bool:
    """Hand `row` over (or run it); delete it when that worked. Never raises for a
    transient failure: the committed write must not turn into an error page."""
    if not _hand_over(row, run_here=run_here):
        return False
    OutboxTask.objects.filter(pk=row.pk).delete()
    return True


def _dispatch_many(rows: list[OutboxTask]) -> int:
    """Hand rows over in order; at the first failure (the broker is away) leave the rest for
    the sweeper. Returns how many were handed over."""
    handed = []
    for row in rows:
        if not _hand_over(row):
            break
        handed.append(row.pk)
    if handed:
        OutboxTask.objects.filter(pk__in=handed).delete()
    return len(handed)


def _hand_over(row: OutboxTask, *, run_here: bool = False) -> bool:
    task = _task(row)
    task_id = str(row.pk)
    try:
        if run_here or _eager():
            try:
                task.apply(args=row.args, task_id=task_id, throw=True)
            except TRANSIENT_ERRORS:
                if _eager():
                    raise
                logger.warning("Running %s here failed; handing it to the broker.", row, exc_info=True)
                _publish(task, row, task_id)
        else:
            _publish(task, row, task_id)
    except Exception as error:  # the broker, the cache, SMTP… away: the row stays for the sweeper
        if not _eager() or isinstance(error, TRANSIENT_ERRORS):
            _note_failure(row, error)
            return False
        raise  # a bug in an eager task: let it surface, as it always did
    return True


def _publish(task, row: OutboxTask, task_id: str) -> None:
    # No result is kept: nobody waits for these, and subscribing to the result would need the
    # result backend (Redis) to be up too.
    task.apply_async(args=row.args, task_id=task_id, ignore_result=True, retry=True, retry_policy=PUBLISH_RETRY_POLICY)


def _note_failure(row: OutboxTask, error: Exception) -> None:
    logger.warning("Could not hand over %s (%s); the outbox sweeper will retry it.", row, error)
    try:
        OutboxTask.objects.filter(pk=row.pk).update(
            attempts=row.attempts + 1, last_attempt_at=timezone.now(), last_error=repr(error)[:500]
        )
    except Exception:  # the database may be what is away; the row is still there to sweep
        logger.warning("Could not record the failure of %s.", row, exc_info=True)


def outbox_sweep(*, min_age: timedelta = SWEEP_MIN_AGE, batch: int = SWEEP_BATCH) -> int:
    """Hand over the rows left behind (older than `min_age`), one bounded batch; returns
    how many were handed over. Stops at the first failure: the broker is still away.

    Safe in two workers at once: rows are locked with SELECT … FOR UPDATE SKIP LOCKED on
    PostgreSQL (SQLite has one writer anyway), and a row handed over twice is harmless.
    """
    handed = 0
    cutoff = timezone.now() - min_age
    with transaction.atomic():
        rows = OutboxTask.objects.filter(created_at__lte=cutoff).order_by("created_at")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        for row in list(rows[:batch]):
            if not _dispatch(row):
                break
            handed += 1
    return handed


def outbox_housekeeping() -> dict:
    """The sweep plus the clean-up that rides along with it every minute."""
    handed = outbox_sweep()
    receipts = TaskReceipt.objects.filter(done_at__lt=timezone.now() - RECEIPT_LIFETIME)
    old_receipts = list(receipts.values_list("pk", flat=True)[:SWEEP_BATCH])
    deleted_receipts = TaskReceipt.objects.filter(pk__in=old_receipts).delete()[0] if old_receipts else 0
    return {
        "handed_over": handed,
        "receipts_deleted": deleted_receipts,
        "counters_deleted": rate_counters_delete_expired(),
    }
