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
    """Load jieba, the live lexicon and the active text model when a worker process starts,
    not in its first task."""
    from moderation.lexicon import lexicon_snapshot
    from moderation.scanner import warm_up
    from moderation.text_model import model_snapshot

    warm_up()
    try:
        lexicon_snapshot()
        model_snapshot()
    except DatabaseError:
        logger.warning("The database is not reachable yet; the lexicon and model will be loaded by the first scan.")


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


# Training on the whole corpus takes minutes, not the two of an ordinary task; still under
# the broker's visibility timeout (an hour), so a late-acked run is not handed out twice.
@idempotent_task(soft_time_limit=3000, time_limit=3300)
def retrain_text_model() -> dict:
    """Celery beat, weekly (CELERY_BEAT_SCHEDULE): retrain the scanner's model from the active
    version's sources and the moderators' decisions; activate it only when it is no worse on
    the evaluation sets (services.text_training). Once per ISO week, however often it runs."""
    from moderation.services.text_training import text_model_retrain_weekly

    outcome = text_model_retrain_weekly()
    return {
        "week": outcome.week,
        "outcome": outcome.outcome,
        "version": outcome.version.number if outcome.version is not None else None,
        "reason": outcome.reason,
    }
