"""The text model dry run: what a model version would change on the newest public items.

Scans the newest public objects of every registered model (``adapter.recent_public``:
published articles, visible comments, …) twice with the live lexicon — once with the
active model, once with the candidate — and lists the items whose model findings differ:
sentences the candidate would newly flag and sentences it would stop flagging, with the
probability, plus the verdicts before and after. Nothing is written here; the service
(moderation.services.text_models.text_model_dry_run) stores the summary.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from moderation.lexicon import current_lexicon
from moderation.registry import registry
from moderation.scanner import scan

# Per registered model (setting MODERATION_MODEL_DRY_RUN_LIMIT); two scans per item.
DRY_RUN_LIMIT = 200
# Items kept in a stored summary: the counts are always complete.
DRY_RUN_ITEMS_MAX = 300
MODEL_DETECTOR = "model"


def dry_run_limit() -> int:
    return int(getattr(settings, "MODERATION_MODEL_DRY_RUN_LIMIT", DRY_RUN_LIMIT))


def _key(finding) -> tuple:
    return (finding.field, finding.start, finding.end, finding.category)


def _finding(finding) -> dict:
    return {
        "category": finding.category,
        "rule": finding.rule,
        "field": finding.field,
        "start": finding.start,
        "end": finding.end,
        "sentence": finding.match,
        "probability": round(float(finding.score), 4),
        "action": finding.action,
    }


def model_dry_run(*, before: dict, after: dict, limit: int | None = None) -> dict:
    """Compare two scan configurations (``scan()`` keyword arguments: ``model``,
    ``thresholds``) on the newest public items; return the JSON-ready summary."""
    limit = dry_run_limit() if limit is None else max(1, int(limit))
    lexicon = current_lexicon()
    items: list[dict] = []
    scanned = 0
    by_category: dict[str, dict[str, int]] = {}
    newly = stop = verdicts = 0
    for model, adapter in registry.items():
        content_type_id = ContentType.objects.get_for_model(model).pk
        for obj in adapter.recent_public(limit):
            scanned += 1
            title = adapter.get_title(obj) or ""
            text = adapter.get_text(obj) or ""
            old = scan(title, text, lexicon=lexicon, **before)
            new = scan(title, text, lexicon=lexicon, **after)
            old_model = [f for f in old.findings if f.detector == MODEL_DETECTOR]
            new_model = [f for f in new.findings if f.detector == MODEL_DETECTOR]
            old_keys = {_key(f) for f in old_model}
            new_keys = {_key(f) for f in new_model}
            gained = [_finding(f) for f in new_model if _key(f) not in old_keys]
            lost = [_finding(f) for f in old_model if _key(f) not in new_keys]
            if not (gained or lost or old.verdict != new.verdict):
                continue
            newly += bool(gained)
            stop += bool(lost)
            verdicts += old.verdict != new.verdict
            for kind, found in (("gained", gained), ("lost", lost)):
                for f in found:
                    counts = by_category.setdefault(str(f["category"]), {"gained": 0, "lost": 0})
                    counts[kind] += 1
            items.append(
                {
                    "content_type": content_type_id,
                    "object_id": obj.pk,
                    "label": str(adapter.get_label()),
                    "title": title[:120],
                    "excerpt": "" if title else text[:120],
                    "url": adapter.get_url(obj) or "",
                    "verdict_before": old.verdict,
                    "verdict_after": new.verdict,
                    "gained": gained,
                    "lost": lost,
                }
            )
    return {
        "scanned": scanned,
        "limit": limit,
        "newly_flagged": newly,
        "stop_flagging": stop,
        "verdict_changes": verdicts,
        "by_category": dict(sorted(by_category.items(), key=lambda kv: int(kv[0]))),
        "items": items[:DRY_RUN_ITEMS_MAX],
        "truncated": len(items) > DRY_RUN_ITEMS_MAX,
    }


def summary_counts(summary: dict) -> dict:
    """The summary without its items: what an audit entry keeps."""
    return {key: value for key, value in summary.items() if key not in ("items",)}
