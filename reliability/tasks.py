"""Celery tasks of the reliability app."""

from cms.celery import idempotent_task


@idempotent_task
def outbox_sweep() -> dict:
    """Hand the outbox rows left behind to the broker (beat, every minute); also deletes
    old receipts and closed rate-limit windows. Safe to run twice or in two workers."""
    from reliability.outbox import outbox_housekeeping

    return outbox_housekeeping()
