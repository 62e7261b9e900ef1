"""The rules on the round-5 evaluation sets (rules only, `model=None`).

`clean_prose.jsonl` (393 items of ordinary news, notices, history, reviews, travel notes,
press releases, recipes, forum answers) and `heldout_round5.jsonl` (180 evasive violations
across all nine categories, 121 hard negatives) are evaluation sets: they are never used
for training the model stage and rules are not written from their sentences (README.md in
this folder). Figures are printed (`pytest -s`); the bounds are loose sanity floors that
catch a collapse, not targets.

Measured when the sets were written, before the round-5 rule fixes: clean prose flagged
6.4 %, round 5 macro-F1 0.457 with 16.5 % of its clean items flagged. After: 0.0 %, 0.483,
0.0 %.
"""

import json
from pathlib import Path

import pytest

from moderation.scanner.evaluate import evaluate, format_report

HERE = Path(__file__).parent


def _items(name):
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def prose():
    items = _items("clean_prose.jsonl")
    return items, evaluate(items, model=None)


@pytest.fixture(scope="module")
def round5():
    items = _items("heldout_round5.jsonl")
    return items, evaluate(items, model=None)


def test_clean_prose_is_clean_prose(prose):
    items, _ = prose
    assert len(items) >= 380
    assert len({item["id"] for item in items}) == len(items)
    for item in items:
        assert item["categories"] == [] and item["verdict"] == "allow"
        assert 50 <= len(item["body"]) <= 400, item["id"]


def test_rules_rarely_flag_real_clean_prose(prose):
    items, report = prose
    flagged = [row["id"] for row in report["items"] if row["verdict"] != "allow"]
    print(f"\nclean_prose.jsonl: {len(flagged)}/{len(items)} flagged ({len(flagged) / len(items):.1%}) {flagged}")
    assert len(flagged) / len(items) <= 0.05, flagged


def test_round5_covers_every_category_and_hard_negatives(round5):
    items, _ = round5
    for category in range(1, 10):
        assert sum(category in item["categories"] for item in items) >= 15, category
    assert sum(not item["categories"] for item in items) >= 100
    assert len({item["id"] for item in items}) == len(items)
    for item in items:
        assert item["verdict"] in ("allow", "review", "block")
        assert all(int(rule.split(".")[0]) in item["categories"] for rule in item["rules"]), item["id"]


def test_rules_on_round5(round5):
    _, report = round5
    print("\nheldout_round5.jsonl (rules only)\n" + format_report(report))
    assert report["macro_f1"] >= 0.35, format_report(report)
    assert report["clean_false_positive_rate"] <= 0.10, format_report(report)
