"""Celery tasks of the moderation app: thin callers of moderation.services."""

import logging

from celery.signals import worker_process_init
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError

from cms.celery import idempotent_task
from moderation.registry import registry
from moderation.services import penalties_expire, scan_perform

logger = logging.getLogger(__name__)


@worker_process_init.connect(weak=False)
def warm_scanner(**kwargs) -> None:
    """Load jieba and the live lexicon when a worker process starts, not in its first task."""
    from moderation.lexicon import lexicon_snapshot
    from moderation.scanner import warm_up

    warm_up()
    try:
        lexicon_snapshot()
    except DatabaseError:
        logger.warning("The database is not reachable yet; the lexicon will be built by the first scan.")


@idempotent_task
def scan_object(content_type_id: int, object_id: int) -> dict | None:
    """Scan one registered object by content type and id (queued by services.scan_request).

    Safe to run twice: the record is keyed by the content hash, so a second run replaces
    the findings of the first. An object deleted before the task ran is skipped.
    """
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    adapter = registry.adapter_for(model)
    obj = adapter.get_queryset().filter(pk=object_id).first()
    if obj is None:
        return None
    record = scan_perform(obj=obj)
    return {"record": record.pk, "verdict": record.verdict, "findings": record.findings.count()}


@idempotent_task
def expire_penalties() -> int:
    """Celery beat, every minute (CELERY_BEAT_SCHEDULE): end the mutes whose time has passed
    and tell each user once. Safe to run twice and on several workers at once: rows are
    picked by status under SKIP LOCKED and each notice has a key (services.penalties)."""
    return penalties_expire()
