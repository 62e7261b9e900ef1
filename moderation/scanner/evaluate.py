"""Scoring the scanner on a labelled set (the format of moderation-dev/dev.jsonl).

Each item has `id`, `title`, `body`, `categories` (convention categories 1–9, empty when
clean) and `verdict`. A case's predicted categories are the categories of its findings.
`evaluate` returns the object `moderation_eval --json` prints (PRODUCT §6).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

CATEGORIES = range(1, 10)


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def evaluate(items: Iterable[dict], *, lexicon=None) -> dict:
    from .lexicon import default_lexicon
    from .pipeline import scan
    from .segment import warm_up

    lexicon = lexicon if lexicon is not None else default_lexicon()
    warm_up()
    scan("", "", lexicon=lexicon)  # load everything before the clock starts
    counts = {c: {"tp": 0, "fp": 0, "fn": 0} for c in CATEGORIES}
    rows: list[dict] = []
    clean = clean_changed = verdict_hits = labelled = 0
    characters = 0
    elapsed = 0.0
    for item in items:
        title, body = item.get("title") or "", item.get("body") or ""
        started = time.perf_counter()
        result = scan(title, body, lexicon=lexicon)
        elapsed += time.perf_counter() - started
        characters += len(title) + len(body)
        predicted = set(result.categories)
        expected = {int(c) for c in item.get("categories") or []}
        for c in CATEGORIES:
            if c in predicted and c in expected:
                counts[c]["tp"] += 1
            elif c in predicted:
                counts[c]["fp"] += 1
            elif c in expected:
                counts[c]["fn"] += 1
        if not expected:
            clean += 1
            if result.verdict != "allow":
                clean_changed += 1
        if item.get("verdict"):
            labelled += 1
            verdict_hits += result.verdict == item["verdict"]
        rows.append({"id": item.get("id"), "verdict": result.verdict, "categories": sorted(predicted)})
    per_category = {}
    for c in CATEGORIES:
        tp, fp, fn = counts[c]["tp"], counts[c]["fp"], counts[c]["fn"]
        precision = _ratio(tp, tp + fp)
        recall = _ratio(tp, tp + fn)
        per_category[str(c)] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(_ratio(2 * precision * recall, precision + recall), 4),
        }
    return {
        "macro_f1": round(sum(v["f1"] for v in per_category.values()) / len(per_category), 4),
        "per_category": per_category,
        "clean_false_positive_rate": round(_ratio(clean_changed, clean), 4),
        "verdict_accuracy": round(_ratio(verdict_hits, labelled), 4),
        "chars_per_second": round(_ratio(characters, elapsed)),
        "items": rows,
    }


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
    return "\n".join(lines)
