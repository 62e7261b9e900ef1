"""Scoring the scanner on a labelled set (the format of moderation-dev/dev.jsonl).

Each item has `id`, `title`, `body`, `categories` (convention categories 1–9, empty when
clean) and `verdict`. A case's predicted categories are the categories of its findings.
`evaluate` returns the object `moderation_eval --json` prints (PRODUCT §6), with the same
figures per stage under `stages` (`rules`, `model`, `combined`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

CATEGORIES = range(1, 10)


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


_DEFAULT = object()
STAGES = ("rules", "model", "combined")


def _verdicts(findings) -> tuple[str, str, set[int], set[int]]:
    """(rules-alone verdict, model-alone verdict, rules' categories, model's categories)."""
    from .policy import MODEL_DETECTOR, verdict

    rules = [f for f in findings if f.detector != MODEL_DETECTOR]
    model = {f.category for f in findings if f.detector == MODEL_DETECTOR}
    return verdict(rules), ("review" if model else "allow"), {f.category for f in rules}, model


class _Tally:
    def __init__(self):
        self.counts = {c: {"tp": 0, "fp": 0, "fn": 0} for c in CATEGORIES}
        self.clean = self.clean_changed = self.verdict_hits = self.labelled = 0
        self.rows: list[dict] = []

    def add(self, item: dict, verdict: str, predicted: set[int]) -> None:
        expected = {int(c) for c in item.get("categories") or []}
        for c in CATEGORIES:
            if c in predicted and c in expected:
                self.counts[c]["tp"] += 1
            elif c in predicted:
                self.counts[c]["fp"] += 1
            elif c in expected:
                self.counts[c]["fn"] += 1
        if not expected:
            self.clean += 1
            self.clean_changed += verdict != "allow"
        if item.get("verdict"):
            self.labelled += 1
            self.verdict_hits += verdict == item["verdict"]
        self.rows.append({"id": item.get("id"), "verdict": verdict, "categories": sorted(predicted)})

    def report(self, characters: int, elapsed: float | None) -> dict:
        per_category = {}
        for c in CATEGORIES:
            tp, fp, fn = self.counts[c]["tp"], self.counts[c]["fp"], self.counts[c]["fn"]
            precision = _ratio(tp, tp + fp)
            recall = _ratio(tp, tp + fn)
            per_category[str(c)] = {
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "f1": round(_ratio(2 * precision * recall, precision + recall), 4),
            }
        report = {
            "macro_f1": round(sum(v["f1"] for v in per_category.values()) / len(per_category), 4),
            "per_category": per_category,
            "clean_false_positive_rate": round(_ratio(self.clean_changed, self.clean), 4),
            "verdict_accuracy": round(_ratio(self.verdict_hits, self.labelled), 4),
        }
        if elapsed is not None:
            report["chars_per_second"] = round(_ratio(characters, elapsed))
        return report


def evaluate(items: Iterable[dict], *, lexicon=None, model=_DEFAULT, thresholds=None) -> dict:
    """The scanner on labelled items. The top-level figures and `items` are the whole pipeline's
    (PRODUCT §6); `stages` has the same figures for the rules alone, the model stage alone (its
    findings; alone it makes at most `review`) and the two together. `model=None` turns the model
    stage off (then `stages` has `rules` and `combined` only, and they are equal)."""
    from .lexicon import default_lexicon
    from .model import default_model
    from .pipeline import scan
    from .segment import warm_up

    lexicon = lexicon if lexicon is not None else default_lexicon()
    model = default_model() if model is _DEFAULT else model
    warm_up()
    scan("", "", lexicon=lexicon, model=model, thresholds=thresholds)  # load everything before the clock starts
    tallies = {stage: _Tally() for stage in STAGES}
    characters = 0
    elapsed = {"rules": 0.0, "combined": 0.0}
    for item in items:
        title, body = item.get("title") or "", item.get("body") or ""
        characters += len(title) + len(body)
        started = time.perf_counter()
        rules_only = scan(title, body, lexicon=lexicon, model=None)
        elapsed["rules"] += time.perf_counter() - started
        if model is None:
            result = rules_only
        else:
            started = time.perf_counter()
            result = scan(title, body, lexicon=lexicon, model=model, thresholds=thresholds)
            elapsed["combined"] += time.perf_counter() - started
        _, model_verdict, _, model_categories = _verdicts(result.findings)
        tallies["rules"].add(item, rules_only.verdict, set(rules_only.categories))
        tallies["model"].add(item, model_verdict, model_categories)
        tallies["combined"].add(item, result.verdict, set(result.categories))
    if model is None:
        elapsed["combined"] = elapsed["rules"]
    stages = {
        "rules": tallies["rules"].report(characters, elapsed["rules"]),
        "combined": tallies["combined"].report(characters, elapsed["combined"]),
    }
    if model is not None:
        stages["model"] = tallies["model"].report(characters, None)
        stages["model"]["version"] = model.version_hash[:12]
    return {**stages["combined"], "items": tallies["combined"].rows, "stages": stages}


def binary_accuracy(
    items: Iterable[dict], positive: frozenset[int] | set[int], *, lexicon=None, model=_DEFAULT, thresholds=None
) -> dict:
    """For a set labelled offensive or not (COLD: offensive → category 2): an item counts as
    positive when it has a category of `positive`, and as predicted positive when the scan finds
    one. Accuracy, precision and recall for the rules alone, the model alone and both."""
    from .lexicon import default_lexicon
    from .model import default_model
    from .pipeline import scan

    lexicon = lexicon if lexicon is not None else default_lexicon()
    model = default_model() if model is _DEFAULT else model
    positive = set(positive)
    counts = {stage: {"tp": 0, "fp": 0, "fn": 0, "tn": 0} for stage in STAGES}
    total = 0
    for item in items:
        title, body = item.get("title") or "", item.get("body") or ""
        expected = bool(positive & {int(c) for c in item.get("categories") or []})
        rules_only = scan(title, body, lexicon=lexicon, model=None)
        result = rules_only if model is None else scan(title, body, lexicon=lexicon, model=model, thresholds=thresholds)
        _, _, _, model_categories = _verdicts(result.findings)
        predicted = {
            "rules": bool(positive & set(rules_only.categories)),
            "model": bool(positive & model_categories),
            "combined": bool(positive & set(result.categories)),
        }
        total += 1
        for stage, hit in predicted.items():
            key = ("tp" if expected else "fp") if hit else ("fn" if expected else "tn")
            counts[stage][key] += 1
    out = {}
    for stage, c in counts.items():
        if stage == "model" and model is None:
            continue
        out[stage] = {
            "accuracy": round(_ratio(c["tp"] + c["tn"], total), 4),
            "precision": round(_ratio(c["tp"], c["tp"] + c["fp"]), 4),
            "recall": round(_ratio(c["tp"], c["tp"] + c["fn"]), 4),
            "items": total,
        }
    return out


_CATEGORY_NAMES = {
    1: "违法信息 illegal",
    2: "不友善 unfriendly",
    3: "垃圾广告 spam",
    4: "色情低俗 vulgar",
    5: "不实信息 false info",
    6: "封建迷信 superstition",
    7: "标题党 clickbait",
    8: "饭圈乱象 fan circle",
    9: "其他危害 other harm",
}


def format_report(report: dict) -> str:
    """A readable table of an `evaluate` report (Chinese and English labels)."""
    lines = [
        f"{'类别 category':<28}{'精确率 P':>10}{'召回率 R':>10}{'F1':>8}",
        "-" * 64,
    ]
    for key, row in report["per_category"].items():
        name = f"{key} {_CATEGORY_NAMES.get(int(key), '')}"
        lines.append(f"{name:<28}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1']:>8.3f}")
    lines += [
        "-" * 64,
        f"宏平均 F1 macro-F1:                 {report['macro_f1']:.3f}",
        f"干净样本误判率 clean false positives: {report['clean_false_positive_rate']:.1%}",
        f"结论准确率 verdict accuracy:         {report['verdict_accuracy']:.1%}",
        f"吞吐 throughput:                    {report['chars_per_second']:,} 字/秒 chars/s",
        f"样本数 items:                       {len(report['items'])}",
    ]
    stages = report.get("stages") or {}
    if "model" in stages:
        names = {"rules": "规则 rules", "model": "模型 model", "combined": "合计 combined"}
        lines += [
            "",
            f"{'阶段 stage':<18}{'宏F1':>8}{'干净误判':>10}{'结论准确':>10}{'字/秒':>12}",
            "-" * 64,
        ]
        for stage in STAGES:
            row = stages[stage]
            speed = f"{row['chars_per_second']:,}" if "chars_per_second" in row else "—"
            lines.append(
                f"{names[stage]:<18}{row['macro_f1']:>8.3f}{row['clean_false_positive_rate']:>10.1%}"
                f"{row['verdict_accuracy']:>10.1%}{speed:>12}"
            )
    return "\n".join(lines)
