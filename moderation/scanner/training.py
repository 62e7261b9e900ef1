"""Training the model stage with scikit-learn (imported here only; workers never import this).

- features: the hashed character n-grams of `model.py` (the same function at training and at
  prediction time), one example per item: its normalised title and body;
- one-vs-rest over the nine categories: per category a `LogisticRegression` with balanced
  class weights, calibrated by `CalibratedClassifierCV` (Platt scaling on `StratifiedKFold`
  out-of-fold scores, one final estimator) — folded into the stored weights;
- thresholds: an outer `StratifiedKFold` trains a model per fold and scores the held-out items
  the way the pipeline does (every sentence and the title, the highest probability counts);
  per category the threshold with the best out-of-fold F1 (ties → the higher threshold), never
  below `MIN_THRESHOLD`, is stored in the model;
- the rule a finding names: the category's most frequent rule in the training labels.

Deterministic for a fixed seed: the same items and options give the same bytes.

    python -m moderation.scanner.training build-default   # seeds/corpus + ../shared/cold/train.csv
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from .corpus import LabeledItem, load_cold, load_jsonl, load_seed_corpus
from .model import (
    CATEGORIES,
    DEFAULT_BITS,
    DEFAULT_ORDERS,
    DEFAULT_PATH,
    MIN_SENTENCE,
    TextModel,
    sentence_starts,
    text_features,
    unit_index,
)
from .normalize import normalize

SHARED = Path(__file__).resolve().parents[3] / "shared"
COLD_TRAIN = SHARED / "cold" / "train.csv"
COLD_DEV = SHARED / "cold" / "dev.csv"
DEV_SET = SHARED / "moderation-dev" / "dev.jsonl"

MIN_THRESHOLD = 0.5
# Clean items at least twice this long also give their units as clean examples.
LONG_ITEM = 40
# The model alone sends content to review; a threshold that is wrong more often than this on
# held-out items would fill the queue with clean text.
MIN_PRECISION = 0.8
THRESHOLD_GRID = np.round(np.arange(0.30, 0.991, 0.01), 2)
DEFAULTS = {
    "bits": DEFAULT_BITS,
    "orders": DEFAULT_ORDERS,
    "words": False,
    "word_gate": 0.15,
    "window": 60,
    "C": 4.0,
    "calibration_folds": 3,
    "folds": 5,
}


def _options(options: dict) -> dict:
    unknown = set(options) - set(DEFAULTS) - {"thresholds", "meta"}
    if unknown:
        raise TypeError(f"unknown training options: {', '.join(sorted(unknown))}")
    merged = {**DEFAULTS, **{k: v for k, v in options.items() if k in DEFAULTS}}
    merged["orders"] = tuple(merged["orders"])
    return merged


def _texts(items: Sequence[LabeledItem]) -> list[str]:
    return [normalize(item.title).text + "\n" + normalize(item.body).text for item in items]


def featurize(
    items: Sequence[LabeledItem], *, bits: int, orders: tuple[int, ...], words: bool = False
) -> sparse.csr_matrix:
    """One row per item: bucket counts / sqrt(feature count), as `TextModel` scores a sentence."""
    return featurize_texts(_texts(items), bits=bits, orders=orders, words=words)


def featurize_texts(
    texts: Sequence[str], *, bits: int, orders: tuple[int, ...], words: bool = False
) -> sparse.csr_matrix:
    """One row per (normalised) text."""
    indptr, indices, values = [0], [], []
    for text in texts:
        ids, counts = text_features(text, bits, orders, words=words)
        indices.append(ids)
        values.append(counts / np.sqrt(max(int(counts.sum()), 1)))
        indptr.append(indptr[-1] + len(ids))
    return sparse.csr_matrix(
        (
            np.concatenate(values) if values else np.zeros(0),
            np.concatenate(indices) if indices else np.zeros(0, dtype=np.intp),
            np.asarray(indptr),
        ),
        shape=(len(texts), 1 << bits),
        dtype=np.float64,
    )


def labels(items: Sequence[LabeledItem]) -> np.ndarray:
    y = np.zeros((len(items), len(CATEGORIES)), dtype=np.int8)
    for i, item in enumerate(items):
        for c in item.categories:
            y[i, c - 1] = 1
    return y


def _strata(y: np.ndarray) -> np.ndarray:
    """One stratum per item for StratifiedKFold: its lowest category, 0 when clean."""
    has = y.any(axis=1)
    return np.where(has, y.argmax(axis=1) + 1, 0)


def rule_priors(items: Sequence[LabeledItem]) -> tuple[str, ...]:
    """Per category, the rule most often given with it (first listed on a tie); `c.1` if none."""
    counts = {c: Counter() for c in CATEGORIES}
    for item in items:
        for rule in item.rules:
            counts[int(rule.split(".")[0])][rule] += 1
    out = []
    for c in CATEGORIES:
        ranked = sorted(counts[c].items(), key=lambda kv: (-kv[1], [int(p) for p in kv[0].split(".")]))
        out.append(ranked[0][0] if ranked else f"{c}.1")
    return tuple(out)


def _fit_category(x, y: np.ndarray, *, C: float, folds: int, seed: int) -> tuple[np.ndarray, float]:
    """Calibrated logit weights and bias of one category (zeros and a very low bias if it cannot
    be fitted: too few positives or negatives to calibrate)."""
    positives = int(y.sum())
    if positives < folds or len(y) - positives < folds:
        return np.zeros(x.shape[1]), -12.0
    base = LogisticRegression(
        C=C, class_weight="balanced", solver="liblinear", dual=True, tol=1e-3, max_iter=300, random_state=seed
    )
    calibrated = CalibratedClassifierCV(
        base, method="sigmoid", cv=StratifiedKFold(folds, shuffle=True, random_state=seed), ensemble=False
    )
    calibrated.fit(x, y)
    inner = calibrated.calibrated_classifiers_[0]
    estimator, sigmoid = inner.estimator, inner.calibrators[0]
    # sklearn's Platt scaling: p = 1 / (1 + exp(a * f + b)) with f = w·x + w0.
    a, b = float(sigmoid.a_), float(sigmoid.b_)
    weights = -a * estimator.coef_.ravel()
    bias = -(a * float(estimator.intercept_[0]) + b)
    return weights, bias


def _quantize(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    peak = np.abs(weights).max(axis=0)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    quantized = np.clip(np.rint(weights / scales), -127, 127).astype(np.int8)
    return quantized, scales


class _Units:
    """What the classifiers are fitted on, featurised once for all folds: every item as a whole,
    and also every unit (see `model.unit_index`) of a clean item long enough to have several —
    the model reads long clean prose unit by unit, so it must have seen such units as clean (a
    violating item's units are not all violating, so only the item as a whole is a positive).
    `owner[r]` is the item row r comes from, so a fold takes exactly its items' rows."""

    def __init__(self, items: Sequence[LabeledItem], opts: dict):
        texts = _texts(items)
        extra, owner = [], list(range(len(items)))
        window = opts["window"]
        for index, (text, item) in enumerate(zip(texts, items, strict=True)):
            if item.categories or len(text) < 2 * max(window, LONG_ITEM):
                continue
            starts = sentence_starts(text)
            unit_starts = starts[unit_index(starts, len(text), window)].tolist()
            for a, b in zip(unit_starts, [*unit_starts[1:], len(text)], strict=True):
                piece = text[a:b].strip()
                if len(piece) >= MIN_SENTENCE:
                    extra.append(piece)
                    owner.append(index)
        self.x = featurize_texts(texts + extra, bits=opts["bits"], orders=opts["orders"], words=opts["words"])
        self.y = np.vstack([labels(items), np.zeros((len(extra), len(CATEGORIES)), dtype=np.int8)])
        self.owner = np.asarray(owner)

    def rows(self, item_index: np.ndarray | None):
        if item_index is None:
            return self.x, self.y
        chosen = np.flatnonzero(np.isin(self.owner, item_index))
        return self.x[chosen], self.y[chosen]


def _fit(
    items: Sequence[LabeledItem], opts: dict, seed: int, thresholds, meta: dict, units: _Units, index=None
) -> TextModel:
    x, y = units.rows(index)
    chosen = items if index is None else [items[i] for i in index]
    weights = np.zeros((x.shape[1], len(CATEGORIES)))
    bias = np.zeros(len(CATEGORIES))
    for k in range(len(CATEGORIES)):
        weights[:, k], bias[k] = _fit_category(x, y[:, k], C=opts["C"], folds=opts["calibration_folds"], seed=seed)
    quantized, scales = _quantize(weights)
    return TextModel(
        weights=quantized,
        scales=scales,
        bias=bias.astype(np.float32),
        thresholds=np.asarray(thresholds, dtype=np.float32),
        rule_codes=rule_priors(chosen),
        bits=opts["bits"],
        orders=opts["orders"],
        meta=meta,
        words=opts["words"],
        word_gate=opts["word_gate"],
        window=opts["window"],
    )


def out_of_fold(items: Sequence[LabeledItem], *, seed: int = 0, units: _Units | None = None, **options) -> np.ndarray:
    """Probabilities (n, 9) for every item from a model that did not see it (outer folds)."""
    opts = _options(options)
    units = units or _Units(items, opts)
    y = labels(items)
    oof = np.zeros(y.shape)
    splitter = StratifiedKFold(opts["folds"], shuffle=True, random_state=seed)
    for train_index, test_index in splitter.split(np.zeros(len(items)), _strata(y)):
        model = _fit(items, opts, seed, np.full(len(CATEGORIES), 0.5), {}, units, train_index)
        oof[test_index] = model.predict_proba_texts([(items[i].title, items[i].body) for i in test_index])
    return oof


def choose_thresholds(
    probs: np.ndarray, y: np.ndarray, *, minimum: float = MIN_THRESHOLD, min_precision: float = MIN_PRECISION
) -> np.ndarray:
    """Per category, among the grid thresholds (≥ `minimum`) whose held-out precision is at least
    `min_precision`, the one with the best F1 (ties → the higher). A category that never reaches
    that precision gets the grid's top (0.99: nearly off); one without positives 0.99 too."""
    top = float(THRESHOLD_GRID[-1])
    out = np.full(y.shape[1], top)
    for k in range(y.shape[1]):
        truth = y[:, k].astype(bool)
        if not truth.any():
            continue
        best = (-1.0, top)
        for t in THRESHOLD_GRID:
            if t < minimum:
                continue
            predicted = probs[:, k] >= t
            tp = int((predicted & truth).sum())
            if not tp or tp / int(predicted.sum()) < min_precision:
                continue
            f1 = 2 * tp / (int(predicted.sum()) + int(truth.sum()))
            best = max(best, (round(f1, 6), float(t)))
        out[k] = best[1]
    return out


def figures(probs: np.ndarray, y: np.ndarray, thresholds) -> dict:
    """Per-category precision/recall/F1, macro-F1 and the share of clean items flagged."""
    predicted = probs >= np.asarray(thresholds)[None, :]
    per_category = {}
    for k, c in enumerate(CATEGORIES):
        truth = y[:, k].astype(bool)
        tp = int((predicted[:, k] & truth).sum())
        fp = int((predicted[:, k] & ~truth).sum())
        fn = int((~predicted[:, k] & truth).sum())
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_category[str(c)] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": int(truth.sum()),
        }
    clean = ~y.any(axis=1)
    supported = [v["f1"] for v in per_category.values() if v["support"]]
    return {
        "macro_f1": round(sum(supported) / len(supported), 4) if supported else 0.0,
        "per_category": per_category,
        "clean_flagged": round(float(predicted[clean].any(axis=1).mean()) if clean.any() else 0.0, 4),
        "items": len(y),
    }


def cross_validate(items: Sequence[LabeledItem], *, seed: int = 0, folds: int = 5, **options) -> dict:
    """Out-of-fold figures per category (thresholds chosen on the same out-of-fold scores, so
    slightly optimistic; the thresholds are returned too)."""
    items = list(items)
    y = labels(items)
    oof = out_of_fold(items, seed=seed, folds=folds, **options)
    thresholds = choose_thresholds(oof, y)
    report = figures(oof, y, thresholds)
    report["thresholds"] = {str(c): float(t) for c, t in zip(CATEGORIES, thresholds, strict=True)}
    return report


def evaluate_model(model: TextModel, items: Sequence[LabeledItem], thresholds: dict | None = None) -> dict:
    """The model alone on labelled items (the same shape as `cross_validate`)."""
    items = list(items)
    probs = model.predict_proba_texts([(item.title, item.body) for item in items])
    limits = list(model.threshold_map(thresholds).values())
    return figures(probs, labels(items), limits)


def train(items: Sequence[LabeledItem], *, seed: int = 0, **options) -> TextModel:
    """A model over `items`. Thresholds come from out-of-fold predictions (unless given as
    `thresholds=[9 floats]`); `meta` (a dict) is merged into the model's meta. The same items,
    seed and options give the same bytes (nothing time-dependent is stored unless `meta` has it)."""
    items = list(items)
    if not items:
        raise ValueError("没有训练样本 no training items")
    opts = _options(options)
    y = labels(items)
    meta: dict = {
        "seed": seed,
        "options": {k: (list(v) if isinstance(v, tuple) else v) for k, v in opts.items()},
        "sizes": {"items": len(items), "clean": int((~y.any(axis=1)).sum())}
        | {str(c): int(y[:, k].sum()) for k, c in enumerate(CATEGORIES)},
        "sources": dict(sorted(Counter(item.source for item in items).items())),
    }
    units = _Units(items, opts)
    if options.get("thresholds") is not None:
        thresholds = np.asarray(options["thresholds"], dtype=np.float64)
    else:
        oof = out_of_fold(items, seed=seed, units=units, **opts)
        thresholds = choose_thresholds(oof, y)
        meta["cross_validation"] = figures(oof, y, thresholds)
    meta["thresholds"] = {str(c): round(float(t), 4) for c, t in zip(CATEGORIES, thresholds, strict=True)}
    meta.update(options.get("meta") or {})
    return _fit(items, opts, seed, thresholds, meta, units)


# The default model takes every third row of COLD's train split: all of it (25,726 comments, half
# offensive) outweighs the project's corpus (a few hundred items per category) so much that
# the small categories' held-out recall collapses, and training takes twice as long; a third
# still reaches COLD's own dev split (see the README for the figures).
COLD_EVERY = 3


def default_training_items(*, cold: Path | None = COLD_TRAIN, cold_every: int = COLD_EVERY) -> list[LabeledItem]:
    """The default model's data: the project's corpus plus every `cold_every`-th row of COLD's
    train split when present."""
    items = load_seed_corpus()
    if cold is not None and Path(cold).exists():
        items += load_cold(cold)[::cold_every]
    return items


TESTS = Path(__file__).resolve().parents[2] / "tests" / "scanner"
# The sets the default model is measured on at build time — none of them is in its training data
# (the project's held-out fixtures and clean prose, the shared dev set, COLD's dev split); the
# names are the file names, as `moderation_train --eval` and the weekly task name them.
DEFAULT_EVAL_SETS = (
    TESTS / "heldout_round5.jsonl",
    TESTS / "heldout_round6.jsonl",
    TESTS / "clean_prose.jsonl",
    TESTS / "clean_prose_2.jsonl",
    DEV_SET,
)


def default_eval_sets(*, cold: bool = True) -> list[tuple[str, list[LabeledItem]]]:
    """(name, items) of the default evaluation sets that exist; COLD's dev split (as
    "COLD dev.csv") only when COLD's train split is in the training data (`cold`)."""
    out = [(path.name, load_jsonl(path)) for path in DEFAULT_EVAL_SETS if path.is_file()]
    if cold and COLD_DEV.is_file():
        out.append(("COLD dev.csv", load_cold(COLD_DEV)))
    return out


def with_meta(model: TextModel, extra: dict) -> TextModel:
    """The same model with `extra` merged into its meta (new bytes, new hash)."""
    return TextModel(
        weights=model.weights,
        scales=model.scales,
        bias=model.bias,
        thresholds=model.thresholds,
        rule_codes=model.rule_codes,
        bits=model.bits,
        orders=model.orders,
        meta={**model.meta, **extra},
        words=model.words,
        word_gate=model.word_gate,
        window=model.window,
    )


def build_default(out: Path = DEFAULT_PATH, *, seed: int = 0, cold: Path | None = COLD_TRAIN) -> TextModel:
    """Train the shipped model and store, in its meta, its figures on every default evaluation
    set that exists (`meta["eval"]`, by set name: held out, never trained on)."""
    items = default_training_items(cold=cold)
    model = train(items, seed=seed)
    with_cold = cold is not None and Path(cold).exists()
    evals = {name: evaluate_model(model, eval_items) for name, eval_items in default_eval_sets(cold=with_cold)}
    model = with_meta(model, {"eval": evals})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(model.to_bytes())
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m moderation.scanner.training")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build-default", help="train seeds/model/default.ymodel")
    build.add_argument("--out", type=Path, default=DEFAULT_PATH)
    build.add_argument("--seed", type=int, default=0)
    build.add_argument("--no-cold", action="store_true", help="train on seeds/corpus only")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    model = build_default(args.out, seed=args.seed, cold=None if args.no_cold else COLD_TRAIN)
    cv = model.meta.get("cross_validation", {})
    print(
        f"wrote {args.out} ({model.size:,} bytes, sha256 {model.version_hash[:16]}…)"
        f" in {time.perf_counter() - started:.0f} s"
    )
    print(f"items {model.meta['sizes']}  sources {model.meta['sources']}")
    print(f"thresholds {model.meta['thresholds']}")
    for c, row in cv.get("per_category", {}).items():
        print(f"  cv {c}: P {row['precision']:.3f} R {row['recall']:.3f} F1 {row['f1']:.3f} (n={row['support']})")
    if cv:
        print(f"cv macro-F1 {cv['macro_f1']:.3f}, clean flagged {cv['clean_flagged']:.1%}")
    for name, row in model.meta.get("eval", {}).items():
        print(
            f"held out {name} ({row['items']} items):"
            f" macro-F1 {row['macro_f1']:.3f}, clean flagged {row['clean_flagged']:.1%}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
