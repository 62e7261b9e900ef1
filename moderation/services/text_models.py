"""Text model versions: store a trained model, dry-run it, activate it, roll back.

Like a lexicon change, switching the model the scanner uses is a moderator's (or an
admin's) decision, taken after seeing what it would do: ``text_model_dry_run`` scans the
newest public items with the active model and with the version, and stores what would
change; ``text_model_activate`` then requires a dry run of that same version, by the same
person, against the model that is active now (not older than a day), records the dry
run's summary in the audit entry, and moves the state row's stamp in the same
transaction so every worker loads the new model on its next scan. Rolling back is the
same path to an earlier version. Versions are never deleted; a version the weekly task
found worse is kept as ``rejected`` with the reason.

``actor=None`` is the system (the weekly task, ``seed_demo``, ``moderation_train``).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.errors import StateConflict
from moderation.model_dry_run import model_dry_run, summary_counts
from moderation.models import (
    TextModelDryRun,
    TextModelOrigin,
    TextModelState,
    TextModelStatus,
    TextModelVersion,
)
from moderation.services.audit import audit_record, require_perm
from moderation.text_model import load_version_model, model_snapshot, model_thresholds, shipped_model

if TYPE_CHECKING:
    from moderation.scanner.model import TextModel

ACTIVATE_PERM = "moderation.activate_textmodelversion"
VIEW_PERM = "moderation.view_textmodelversion"
# A dry run older than this no longer shows what activating would do (new items came in).
DRY_RUN_MAX_AGE = timedelta(hours=24)
REASON_MAX = 1000


def _check_actor(actor: AbstractBaseUser | None, *, system: bool = False) -> None:
    if actor is None and system:
        return
    require_perm(actor, ACTIVATE_PERM)


def sources_from_meta(meta: dict) -> list[dict]:
    """A model's own ``meta["sources"]`` (``{source name: items}``, as training.train writes
    it) as version sources the weekly task can read again: the corpus files as the seeds
    source, COLD's split as its CSV file."""
    from moderation.scanner.training import COLD_TRAIN

    raw = meta.get("sources") or {}
    if isinstance(raw, list):
        return raw
    seeds = sum(int(n) for name, n in raw.items() if not str(name).startswith("cold-"))
    out: list[dict] = []
    if seeds:
        out.append({"kind": "seeds", "name": "seeds/corpus", "items": seeds})
    for name, n in raw.items():
        if str(name).startswith("cold-"):
            out.append(
                {
                    "kind": "file",
                    "name": f"COLD {str(name)[5:]}.csv",
                    "path": str(COLD_TRAIN.with_name(f"{str(name)[5:]}.csv")),
                    "format": "csv",
                    "text_column": "TEXT",
                    "label_column": "label",
                    "title_column": "",
                    "label_map": {"1": 2, "0": None},
                    "items": int(n),
                }
            )
    return out


def _state_locked() -> TextModelState:
    state, _created = TextModelState.objects.select_for_update().get_or_create(pk=1)
    return state


def model_sizes(model: TextModel, *, data: bytes, items=None) -> dict:
    """Items per category (when the training items are known), features and bytes."""
    meta = dict(getattr(model, "meta", None) or {})
    stored = dict(meta.get("sizes") or {})
    # training.train keeps the items per category as top-level digit keys: one shape for both
    sizes = {k: v for k, v in stored.items() if not str(k).isdigit()}
    per_stored = {str(k): v for k, v in stored.items() if str(k).isdigit()}
    if per_stored:
        sizes["per_category"] = dict(sorted(per_stored.items(), key=lambda kv: int(kv[0])))
    if items is not None:
        per_category: dict[str, int] = {}
        clean = 0
        for item in items:
            if not item.categories:
                clean += 1
            for category in item.categories:
                per_category[str(category)] = per_category.get(str(category), 0) + 1
        sizes["items"] = len(items)
        sizes["clean"] = clean
        sizes["per_category"] = dict(sorted(per_category.items(), key=lambda kv: int(kv[0])))
    sizes["bytes"] = len(data)
    return sizes


@transaction.atomic
def text_model_version_create(
    *,
    actor: AbstractBaseUser | None,
    model: TextModel,
    sources: list[dict] | None = None,
    figures: dict | None = None,
    sizes: dict | None = None,
    origin: str = TextModelOrigin.COMMAND,
    week: str = "",
    note: str = "",
) -> tuple[TextModelVersion, bool]:
    """Store a trained model as a new candidate version; return (version, created).

    A model whose content hash is already stored is not stored twice: the existing version
    comes back with created False. The bytes are read back before anything is written, so
    a model that would not load in a worker is refused here.
    """
    _check_actor(actor, system=True)
    from moderation.scanner.model import TextModel

    data = model.to_bytes()
    try:
        TextModel.from_bytes(data)
    except ValueError as exc:
        raise ValidationError(_("模型数据无法读回，没有保存：%(problem)s") % {"problem": exc}) from exc
    digest = model.version_hash
    existing = TextModelVersion.objects.filter(content_hash=digest).first()
    if existing is not None:
        return existing, False
    meta = dict(getattr(model, "meta", None) or {})
    _state_locked()  # numbers are handed out one at a time
    number = (TextModelVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    version = TextModelVersion.objects.create(
        number=number,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        origin=origin,
        sources=sources if sources is not None else sources_from_meta(meta),
        sizes=sizes if sizes is not None else model_sizes(model, data=data),
        figures=figures
        if figures is not None
        else {"cv": dict(meta.get("cross_validation") or {}), "eval": dict(meta.get("eval") or {})},
        content_hash=digest,
        data=data,
        size_bytes=len(data),
        week=week,
        note=note[:200],
    )
    audit_record(
        actor=actor,
        action="textmodel.create",
        target=version,
        data={"number": number, "hash": digest, "origin": origin, "bytes": len(data), "week": week},
    )
    return version, True


def _active_version() -> TextModelVersion | None:
    active_id = TextModelState.objects.filter(pk=1).values_list("active_id", flat=True).first()
    return TextModelVersion.objects.filter(pk=active_id).first() if active_id else None


def baseline_figures(baseline: TextModelVersion | None) -> dict:
    """The figures of the model in use now: the active version's, or the shipped model's."""
    if baseline is not None:
        return baseline.figures or {}
    model = shipped_model()
    if model is None:
        return {}
    meta = getattr(model, "meta", None) or {}
    return {"cv": dict(meta.get("cross_validation") or {}), "eval": dict(meta.get("eval") or {})}


def text_model_dry_run(
    *, actor: AbstractBaseUser | None, version: TextModelVersion, limit: int | None = None, system: bool = False
) -> TextModelDryRun:
    """Scan the newest public items with the active model and with ``version``; store and
    return what would change (moderation.model_dry_run) and both models' figures."""
    _check_actor(actor, system=system)
    version = TextModelVersion.objects.get(pk=version.pk)
    baseline = _active_version()
    snapshot = model_snapshot()
    if not getattr(settings, "MODERATION_MODEL_ENABLED", True):
        before_model = None  # the stage is off: the dry run shows what turning it on would add
    elif baseline is None:
        before_model = shipped_model()
    elif snapshot.number == baseline.number:
        before_model = snapshot.model
    else:
        before_model = load_version_model(baseline)
    candidate = load_version_model(version)
    summary = model_dry_run(
        before={"model": before_model, "thresholds": model_thresholds(before_model)},
        after={"model": candidate, "thresholds": model_thresholds(candidate)},
        limit=limit,
    )
    summary["version"] = version.number
    summary["baseline"] = baseline.number if baseline is not None else 0
    summary["figures"] = {"candidate": version.figures or {}, "baseline": baseline_figures(baseline)}
    return TextModelDryRun.objects.create(
        version=version,
        baseline=baseline,
        actor=actor if actor is not None and actor.is_authenticated else None,
        summary=summary,
    )


def latest_dry_run(*, actor: AbstractBaseUser | None, version: TextModelVersion) -> TextModelDryRun | None:
    """The newest dry run of ``version`` by ``actor`` (None: by the system)."""
    runs = TextModelDryRun.objects.filter(version=version)
    runs = runs.filter(actor__isnull=True) if actor is None else runs.filter(actor=actor)
    return runs.order_by("-created_at", "-id").first()


def activation_refusal(*, actor: AbstractBaseUser | None, version: TextModelVersion) -> str:
    """Why ``actor`` may not activate ``version`` now ("" when they may)."""
    if version.status == TextModelStatus.ACTIVE:
        return _("v%(n)s 已经在使用中。") % {"n": version.number}
    run = latest_dry_run(actor=actor, version=version)
    if run is None:
        return _("启用之前请先试运行这个版本，看看它会改变哪些内容的扫描结果。")
    if timezone.now() - run.created_at > DRY_RUN_MAX_AGE:
        return _("你的试运行已超过 24 小时，期间有了新内容，请重新试运行。")
    active = _active_version()
    if (active.pk if active else None) != run.baseline_id:
        return _("试运行之后使用中的模型已经换过了，请重新试运行，再决定是否启用。")
    return ""


@transaction.atomic
def text_model_activate(
    *,
    actor: AbstractBaseUser | None,
    version: TextModelVersion,
    reason: str = "",
    system: bool = False,
    rescan: bool = True,
) -> TextModelVersion:
    """Make ``version`` the model every scan uses (an earlier one: a rollback).

    Needs a dry run of this version by ``actor`` against the active model (see
    ``activation_refusal``). The previous version is retired; the audit entry keeps the
    dry run's summary; the state's stamp moves in this transaction, so workers load the
    model on their next scan. With ``rescan`` the items the dry run found changed are
    scanned again once this commits.
    """
    _check_actor(actor, system=system)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("理由最长 1000 字。")})
    state = _state_locked()
    version = TextModelVersion.objects.select_for_update().get(pk=version.pk)
    refusal = activation_refusal(actor=actor, version=version)
    if refusal:
        raise StateConflict(refusal)
    run = latest_dry_run(actor=actor, version=version)
    previous = TextModelVersion.objects.select_for_update().filter(pk=state.active_id).first()
    rollback = previous is not None and version.number < previous.number
    now = timezone.now()
    if previous is not None:
        previous.status = TextModelStatus.RETIRED
        previous.status_reason = _("已由 v%(n)s 取代。") % {"n": version.number}
        previous.save(update_fields=["status", "status_reason"])
    version.status = TextModelStatus.ACTIVE
    version.status_reason = reason
    version.activated_at = now
    version.activated_by = actor if actor is not None and actor.is_authenticated else None
    version.save(update_fields=["status", "status_reason", "activated_at", "activated_by"])
    state.active = version
    state.stamp = uuid.uuid4().hex
    state.save(update_fields=["active", "stamp", "changed_at"])
    audit_record(
        actor=actor,
        action="textmodel.rollback" if rollback else "textmodel.activate",
        target=version,
        data={
            "number": version.number,
            "hash": version.content_hash,
            "previous": previous.number if previous is not None else 0,
            "reason": reason,
            "dry_run": {"id": run.pk, **summary_counts(run.summary)},
        },
    )
    if rescan:
        from moderation.services.scans import scan_request_targets

        scan_request_targets(
            targets=[(item["content_type"], item["object_id"]) for item in run.summary.get("items", [])]
        )
    return version


@transaction.atomic
def text_model_reject(*, actor: AbstractBaseUser | None, version: TextModelVersion, reason: str) -> TextModelVersion:
    """Keep a candidate out of use, with the reason (the weekly task's "worse" outcome)."""
    _check_actor(actor, system=True)
    version = TextModelVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == TextModelStatus.ACTIVE:
        raise StateConflict(_("使用中的版本不能标为未采用；请先启用或回滚到另一个版本。"))
    version.status = TextModelStatus.REJECTED
    version.status_reason = (reason or "").strip()[:REASON_MAX]
    version.save(update_fields=["status", "status_reason"])
    audit_record(
        actor=actor,
        action="textmodel.reject",
        target=version,
        data={"number": version.number, "reason": version.status_reason},
    )
    return version


@transaction.atomic
def text_model_seed_load() -> TextModelVersion | None:
    """Store the shipped model as version 1 and make it active, when no version exists yet
    (``seed_demo``; idempotent). Returns the version stored, or None when nothing was done."""
    if TextModelVersion.objects.exists():
        return None
    model = shipped_model()
    if model is None:
        return None
    version, created = text_model_version_create(
        actor=None, model=model, origin=TextModelOrigin.SHIPPED, note="随项目发布的默认模型"
    )
    state = _state_locked()
    if state.active_id is None:
        version.status = TextModelStatus.ACTIVE
        version.activated_at = timezone.now()
        version.save(update_fields=["status", "activated_at"])
        state.active = version
        state.stamp = uuid.uuid4().hex
        state.save(update_fields=["active", "stamp", "changed_at"])
        audit_record(actor=None, action="textmodel.seed", target=version, data={"number": version.number})
    return version if created else None
