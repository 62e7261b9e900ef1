"""The live text model: the active TextModelVersion, loaded once per change per process.

Activating or rolling back a version (moderation.services.text_models) moves
``TextModelState.stamp`` in the same transaction. ``model_snapshot()`` reads that row
(one indexed query) and loads the model again only when the stamp differs from the one
this process loaded — so a worker scans with the new model on its next task, without a
restart, and loads each version at most once. While no version is active (a fresh
database before ``seed_demo``) the model shipped with the project is used.

Settings: ``MODERATION_MODEL_ENABLED`` (False turns the model stage off everywhere) and
``MODERATION_MODEL_THRESHOLDS`` (``{category: probability}``, overriding the thresholds
stored with the model, category by category).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.signals import setting_changed

from moderation.models import TextModelState, TextModelVersion

if TYPE_CHECKING:
    from moderation.scanner.model import TextModel

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelSnapshot:
    number: int  # the active version's number; 0 = the shipped default (or none)
    stamp: str
    model: TextModel | None
    thresholds: dict[int, float] | None = field(default=None)

    def scan_options(self) -> dict:
        """Keyword arguments for ``scan()``: this model and the thresholds it is used with."""
        return {"model": self.model, "thresholds": self.thresholds}


_lock = threading.Lock()
_built: ModelSnapshot | None = None


def model_state() -> tuple[int | None, str]:
    """(active version id or None, stamp) as stored; (None, "") before any activation."""
    row = TextModelState.objects.filter(pk=1).values_list("active_id", "stamp").first()
    return row or (None, "")


def model_thresholds(model: TextModel | None) -> dict[int, float] | None:
    """The model's own thresholds with the per-category overrides of the settings applied
    (None: no override, ``scan()`` uses the thresholds stored with the model)."""
    overrides = getattr(settings, "MODERATION_MODEL_THRESHOLDS", None) or {}
    if model is None or not overrides:
        return None
    return model.threshold_map(overrides)


def shipped_model() -> TextModel | None:
    from moderation.scanner.model import default_model

    return default_model()


def load_version_model(version: TextModelVersion) -> TextModel:
    from moderation.scanner.model import TextModel

    return TextModel.from_bytes(bytes(version.data))


def _build(active_id: int | None, stamp: str) -> ModelSnapshot:
    if not getattr(settings, "MODERATION_MODEL_ENABLED", True):
        return ModelSnapshot(number=0, stamp=stamp, model=None)
    if active_id is not None:
        version = TextModelVersion.objects.filter(pk=active_id).only("number", "data").first()
        if version is not None:
            try:
                model = load_version_model(version)
            except ValueError:
                # Checked when the version was stored, so this means a damaged row: say so
                # loudly and keep scanning with the shipped model rather than with none.
                logger.exception("Text model version %s cannot be loaded; using the shipped model.", version.number)
            else:
                return ModelSnapshot(
                    number=version.number, stamp=stamp, model=model, thresholds=model_thresholds(model)
                )
    model = shipped_model()
    return ModelSnapshot(number=0, stamp=stamp, model=model, thresholds=model_thresholds(model))


def model_snapshot() -> ModelSnapshot:
    """The active model and its version, loaded again only after a switch."""
    global _built
    active_id, stamp = model_state()
    key = f"{active_id}:{stamp}"
    built = _built
    if built is not None and built.stamp == key:
        return built
    with _lock:
        if _built is None or _built.stamp != key:
            snapshot = _build(active_id, key)
            _built = snapshot
        return _built


def current_model() -> TextModel | None:
    return model_snapshot().model


def reset_model_snapshot() -> None:
    """Forget the loaded model (settings changed in a test); the next scan loads it again."""
    global _built
    with _lock:
        _built = None


def _settings_changed(*, setting: str, **kwargs) -> None:
    if setting in ("MODERATION_MODEL_ENABLED", "MODERATION_MODEL_THRESHOLDS"):
        reset_model_snapshot()


setting_changed.connect(_settings_changed, weak=False)
