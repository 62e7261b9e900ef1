"""Training text model versions: from the project's corpus, operators' files and moderators'
decisions (``moderation_train``), and again every week from the active version's sources
plus the decisions taken since (``text_model_retrain_weekly``, a beat task).

A *source* is a JSON-ready dict kept on the version, so the weekly task can read the same
data again:

- ``{"kind": "seeds", "name": "seeds/corpus"}`` — the project's labelled corpus;
- ``{"kind": "file", "name": "train.csv", "path": "/abs/path", "format": "jsonl"|"csv",
  "text_column": …, "label_column": …, "title_column": …, "label_map": {"1": 2, "0": null}}``;
- ``{"kind": "decisions", "name": "decisions"}`` — moderation.training_data.decision_examples.

Each stored source also has ``items`` (how many it gave).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from moderation.models import AuditEntry, TextModelOrigin, TextModelVersion
from moderation.scanner.corpus import SEED_CORPUS, LabeledItem, load_csv, load_jsonl, load_seed_corpus
from moderation.services.audit import audit_record
from moderation.services.text_models import (
    _active_version,
    model_sizes,
    text_model_activate,
    text_model_dry_run,
    text_model_reject,
    text_model_version_create,
)
from moderation.text_model import load_version_model, model_thresholds, shipped_model
from moderation.training_data import DECISION_SOURCE, decision_examples

logger = logging.getLogger(__name__)

SEEDS_SOURCE = {"kind": "seeds", "name": "seeds/corpus"}
DECISIONS_SOURCE = {"kind": "decisions", "name": DECISION_SOURCE}


def file_source(
    path: str | Path,
    *,
    text_column: str = "",
    label_column: str = "",
    label_map: dict[str, int | None] | None = None,
    title_column: str = "",
) -> dict:
    """The source dict of a file: JSONL (dev.jsonl format), or CSV when it ends in .csv."""
    path = Path(path).expanduser().resolve()
    if path.suffix.lower() == ".csv":
        return {
            "kind": "file",
            "name": path.name,
            "path": str(path),
            "format": "csv",
            "text_column": text_column,
            "label_column": label_column,
            "title_column": title_column,
            "label_map": dict(label_map or {}),
        }
    return {"kind": "file", "name": path.name, "path": str(path), "format": "jsonl"}


def load_source(source: dict) -> list[LabeledItem]:
    """The items of one source; ValueError (Chinese and English) when it cannot be read."""
    kind = source.get("kind")
    if kind == "seeds":
        root = Path(source.get("path") or SEED_CORPUS)
        items = load_seed_corpus(root)
        if not items:
            raise ValueError(f"项目语料为空或不存在 the project's corpus is empty or missing: {root}")
        return items
    if kind == "decisions":
        return decision_examples()
    if kind == "file":
        path = Path(source.get("path") or "")
        if source.get("format") == "csv":
            if not source.get("text_column") or not source.get("label_column"):
                raise ValueError(
                    f"{path}: CSV 文件需要 --text-column 和 --label-column a CSV needs --text-column and --label-column"
                )
            if not source.get("label_map"):
                raise ValueError(f'{path}: CSV 文件需要 --label-map，例如 "1=2,0=clean" a CSV needs --label-map')
            return load_csv(
                path,
                text_column=source["text_column"],
                label_column=source["label_column"],
                label_map={str(k): (None if v is None else int(v)) for k, v in source["label_map"].items()},
                title_column=source.get("title_column") or None,
                source=path.stem,
            )
        return load_jsonl(path, source=path.stem)
    raise ValueError(f"未知的训练来源 unknown training source: {kind!r}")


def parse_label_map(text: str) -> dict[str, int | None]:
    """``"1=2,0=clean"`` → ``{"1": 2, "0": None}``; ValueError saying what is wrong."""
    mapping: dict[str, int | None] = {}
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        label, sep, target = part.partition("=")
        label, target = label.strip(), target.strip()
        if not sep or not label or not target:
            raise ValueError(f"标签映射 {part!r} 应写成 标签=类别，例如 1=2 或 0=clean")
        if target.lower() in ("clean", "none", "0-clean", "正常"):
            mapping[label] = None
        elif target.isdigit() and 1 <= int(target) <= 9:
            mapping[label] = int(target)
        else:
            raise ValueError(f"标签映射 {part!r} 的类别应是 1–9 的数字或 clean")
    if not mapping:
        raise ValueError('标签映射为空，请写成 "1=2,0=clean" 的形式')
    return mapping


def train_model(items: list[LabeledItem], *, seed: int = 0, folds: int = 5):
    """``training.train`` with the run time taken out of the model's meta, so the same data
    and seed give the same bytes (and the same content hash: a version is stored once)."""
    from moderation.scanner.training import train

    model = train(items, seed=seed, folds=folds)
    model.meta.pop("training_seconds", None)
    model._bytes = None  # the bytes are built again without it
    return model


def evaluate_on(model, items: list[LabeledItem]) -> dict:
    from moderation.scanner.training import evaluate_model

    return evaluate_model(model, items, thresholds=model_thresholds(model) or None)


@dataclass
class TrainingRun:
    model: object
    items: list[LabeledItem]
    sources: list[dict]
    figures: dict
    version: TextModelVersion | None = None
    created: bool = False
    notes: list[str] = field(default_factory=list)


def train_from_sources(
    *,
    sources: list[tuple[dict, list[LabeledItem]]],
    evals: list[tuple[str, list[LabeledItem]]] = (),
    seed: int = 0,
    folds: int = 5,
) -> TrainingRun:
    """Train on the items of ``sources`` (each a source dict and its loaded items) and score
    the model on each eval set. Nothing is stored."""
    items: list[LabeledItem] = []
    stored: list[dict] = []
    for source, source_items in sources:
        items.extend(source_items)
        stored.append({**{k: v for k, v in source.items() if k != "items"}, "items": len(source_items)})
    if not items:
        raise ValueError("没有训练样本 no training items")
    labels = {bool(item.categories) for item in items}
    if labels != {True, False}:
        raise ValueError("训练数据需要同时包含违规样本和正常样本 training needs both violating and clean items")
    model = train_model(items, seed=seed, folds=folds)
    figures = {"cv": dict(model.meta.get("cross_validation") or {}), "eval": {}}
    for name, eval_items in evals:
        figures["eval"][name] = evaluate_on(model, eval_items)
    return TrainingRun(model=model, items=items, sources=stored, figures=figures)


def save_run(
    run: TrainingRun,
    *,
    actor: AbstractBaseUser | None,
    origin: str = TextModelOrigin.COMMAND,
    week: str = "",
    note: str = "",
) -> TrainingRun:
    data = run.model.to_bytes()
    run.version, run.created = text_model_version_create(
        actor=actor,
        model=run.model,
        sources=run.sources,
        figures=run.figures,
        sizes=model_sizes(run.model, data=data, items=run.items),
        origin=origin,
        week=week,
        note=note,
    )
    return run


# ---------------------------------------------------------------------------
# The weekly retraining (CELERY_BEAT_SCHEDULE "retrain-text-model")


def eval_sets() -> list[tuple[str, list[LabeledItem]]]:
    """The evaluation sets of setting MODERATION_MODEL_EVAL_SETS that exist (JSONL files)."""
    out = []
    for path in getattr(settings, "MODERATION_MODEL_EVAL_SETS", []) or []:
        path = Path(path)
        if not path.is_file():
            continue
        try:
            out.append((path.name, load_jsonl(path)))
        except ValueError:
            logger.exception("Evaluation set %s cannot be read; skipped.", path)
    return out


def week_key(now=None) -> str:
    year, week, _day = (now or timezone.now()).isocalendar()
    return f"{year}-W{week:02d}"


def _worse(candidate: dict, baseline: dict, tolerance: float) -> list[str]:
    """The ways ``candidate`` figures are worse than ``baseline`` (empty: no worse)."""
    problems = []
    if "macro_f1" in baseline and candidate.get("macro_f1", 0.0) < baseline["macro_f1"] - tolerance:
        problems.append(f"macro-F1 {candidate.get('macro_f1', 0.0):.3f} < {baseline['macro_f1']:.3f}")
    if "clean_flagged" in baseline and candidate.get("clean_flagged", 1.0) > baseline["clean_flagged"] + tolerance:
        problems.append(
            f"{_('正常内容误标率')} {candidate.get('clean_flagged', 1.0):.1%} > {baseline['clean_flagged']:.1%}"
        )
    return problems


@dataclass
class WeeklyOutcome:
    week: str
    outcome: str  # "skipped" (done this week already) | "unchanged" | "no-data" | "rejected" | "activated"
    version: TextModelVersion | None = None
    reason: str = ""


def _record_week(week: str, outcome: str, version: TextModelVersion | None, reason: str) -> None:
    audit_record(
        actor=None,
        action="textmodel.weekly",
        target=version,
        data={"week": week, "outcome": outcome, "number": version.number if version else None, "reason": reason},
    )


def text_model_retrain_weekly(*, now=None) -> WeeklyOutcome:
    """Train a candidate from the active version's sources plus the moderators' decisions,
    and activate it (as the system, audited, with a stored dry run, moderators notified)
    only when its figures on every evaluation set — or, without any, its cross-validated
    figures — are no worse than the active model's; otherwise keep it ``rejected`` with the
    reason. Runs once per ISO week: a second run in the same week does nothing."""
    week = week_key(now)
    if AuditEntry.objects.filter(action="textmodel.weekly", data__week=week).exists():
        return WeeklyOutcome(week=week, outcome="skipped")
    active = _active_version()
    stored = active.sources if active is not None and isinstance(active.sources, list) else []
    wanted = [s for s in stored if isinstance(s, dict) and s.get("kind") in ("seeds", "file")]
    if not wanted:
        wanted = [SEEDS_SOURCE]
    loaded: list[tuple[dict, list[LabeledItem]]] = []
    notes: list[str] = []
    for source in wanted:
        try:
            loaded.append((source, load_source(source)))
        except ValueError as exc:
            notes.append(str(exc))
    loaded.append((DECISIONS_SOURCE, decision_examples()))
    seed = int(getattr(settings, "MODERATION_MODEL_TRAIN_SEED", 0))
    folds = int(getattr(settings, "MODERATION_MODEL_FOLDS", 5))
    evals = eval_sets()
    try:
        run = train_from_sources(sources=loaded, evals=evals, seed=seed, folds=folds)
    except ValueError as exc:
        with transaction.atomic():
            _record_week(week, "no-data", None, str(exc))
        return WeeklyOutcome(week=week, outcome="no-data", reason=str(exc))

    baseline_model = load_version_model(active) if active is not None else shipped_model()
    tolerance = float(getattr(settings, "MODERATION_MODEL_TOLERANCE", 0.0))
    problems: list[str] = []
    if evals:
        for name, items in evals:
            if baseline_model is None:
                continue
            base = evaluate_on(baseline_model, items)
            problems += [f"{name}: {p}" for p in _worse(run.figures["eval"][name], base, tolerance)]
    else:
        base_cv = (active.figures or {}).get("cv") if active is not None else None
        if base_cv is None and baseline_model is not None:
            base_cv = (baseline_model.meta or {}).get("cross_validation")
        if base_cv:
            problems += [f"{_('交叉验证')}: {p}" for p in _worse(run.figures["cv"], base_cv, tolerance)]

    try:
        with transaction.atomic():
            save_run(run, actor=None, origin=TextModelOrigin.WEEKLY, week=week, note=_("每周重训 %(w)s") % {"w": week})
            version = run.version
            if not run.created:
                # The same bytes as a stored version: nothing new was learnt this week.
                _record_week(week, "unchanged", version, "")
                return WeeklyOutcome(week=week, outcome="unchanged", version=version)
            if problems:
                reason = _("评估结果不如使用中的模型：") + "；".join(problems)
                version = text_model_reject(actor=None, version=version, reason=reason)
                _record_week(week, "rejected", version, reason)
                return WeeklyOutcome(week=week, outcome="rejected", version=version, reason=reason)
            text_model_dry_run(actor=None, version=version, system=True)
            text_model_activate(
                actor=None,
                version=version,
                reason=_("每周重训：评估结果不低于之前的模型，自动启用。"),
                system=True,
            )
            _record_week(week, "activated", version, "")
            _notify_moderators(version=version, previous=active)
    except IntegrityError:
        # Another run of this week's task stored its version first.
        return WeeklyOutcome(week=week, outcome="skipped")
    version.refresh_from_db()
    return WeeklyOutcome(week=week, outcome="activated", version=version)


def _notify_moderators(*, version: TextModelVersion, previous: TextModelVersion | None) -> int:
    from accounts import roles
    from accounts.models import NoticeKind, User
    from accounts.services import notice_send

    cv = (version.figures or {}).get("cv") or {}
    text = _(
        "扫描模型已自动更新为 v%(n)s（每周重训，评估结果不低于之前的 v%(old)s；交叉验证 macro-F1 %(f1)s）。"
        "可在“模型版本”页查看试运行结果，必要时一键回滚。"
    ) % {
        "n": version.number,
        "old": previous.number if previous is not None else 0,
        "f1": f"{cv.get('macro_f1', 0.0):.3f}",
    }
    sent = 0
    for user in User.objects.filter(groups__name__in=[roles.MODERATOR, roles.ADMIN], is_active=True).distinct():
        if notice_send(
            user=user,
            kind=NoticeKind.MODEL_UPDATE,
            text=text,
            link=f"/moderation/models/{version.number}/",
            key=f"textmodel:{version.number}:activated",
        ):
            sent += 1
    return sent
