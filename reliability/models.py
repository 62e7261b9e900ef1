import uuid

from django.db import models
from django.utils import timezone


class OutboxTask(models.Model):
    """A Celery task a write queued, kept until the broker has accepted it.

    Written in the writer's transaction (reliability.outbox.outbox_enqueue), so it exists
    exactly when the write committed. The id is also the Celery task id: a republished row
    is the same message, which is what lets non-idempotent tasks run once per message.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["created_at"], name="reliability_outbox_created")]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"


class TaskReceipt(models.Model):
    """A message (Celery task id) whose effect has happened; a second delivery finds it."""

    message_id = models.CharField(max_length=64, primary_key=True)
    task_name = models.CharField(max_length=200)
    done_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.task_name} {self.message_id}"


class RateCounter(models.Model):
    """A fixed-window counter of one rate-limit key (reliability.ratecounter)."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}={self.count}"
