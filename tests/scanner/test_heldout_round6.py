"""The rules alone (lexicon and detectors, no model) on the round-6 evaluation sets, which are
never training data and were written without looking at the corpus, the earlier rounds or the
shared sets:

- heldout_round6.jsonl: violations in all nine categories and all their rules, in registers
  the other sets lack (danmaku one-liners, livestream and group chat, game and sports talk,
  mixed Chinese-English, dialect, elders' style, long forum posts, listings), and hard
  negatives (the same topics discussed, reported, warned against, denied);
- clean_prose_2.jsonl: ordinary clean prose (news, notices, reviews, recipes, manuals, ...);
  `test_model_targets` scores it with the model too (it globs clean_prose*.jsonl).

The figures are printed (`pytest -s`); the bounds are loose sanity checks, not targets: the
sets measure unseen text, so nothing here is tuned to them."""

import json
from pathlib import Path

import pytest

from moderation.scanner.evaluate import evaluate, format_report

HERE = Path(__file__).resolve().parent
CONVENTION = HERE.parents[1] / "seeds" / "convention.json"
ROUND6 = HERE / "heldout_round6.jsonl"
PROSE2 = HERE / "clean_prose_2.jsonl"


def _items(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _rule_codes() -> set[str]:
    convention = json.loads(CONVENTION.read_text(encoding="utf-8"))
    return {rule["code"] for category in convention["categories"] for rule in category["rules"]}


@pytest.fixture(scope="module")
def round6() -> list[dict]:
    return _items(ROUND6)


@pytest.fixture(scope="module")
def prose2() -> list[dict]:
    return _items(PROSE2)


def test_round6_labels_are_consistent_and_cover_every_rule(round6):
    codes = _rule_codes()
    assert len({item["id"] for item in round6}) == len(round6)
    for item in round6:
        assert set(item["rules"]) <= codes, item["id"]
        assert item["categories"] == sorted({int(rule.split(".")[0]) for rule in item["rules"]}), item["id"]
        assert (item["verdict"] == "allow") == (not item["categories"]), item["id"]
    assert {rule for item in round6 for rule in item["rules"]} == codes
    for category in range(1, 10):
        assert sum(category in item["categories"] for item in round6) >= 15, category
    assert sum(not item["categories"] for item in round6) >= 120


def test_clean_prose_2_is_clean_and_sized(prose2):
    assert len({item["id"] for item in prose2}) == len(prose2)
    for item in prose2:
        assert item["categories"] == [] and item["verdict"] == "allow", item["id"]
        assert 80 <= len(item["title"] + item["body"]) <= 400, item["id"]


def test_rules_alone_on_round6(round6):
    report = evaluate(round6, model=None)
    print(format_report(report))
    assert report["macro_f1"] >= 0.3
    assert report["clean_false_positive_rate"] <= 0.2


def test_rules_alone_on_clean_prose_2(prose2):
    report = evaluate(prose2, model=None)
    print(f"clean_prose_2 flagged by the rules alone: {report['clean_false_positive_rate']:.1%} of {len(prose2)}")
    assert report["clean_false_positive_rate"] <= 0.05
