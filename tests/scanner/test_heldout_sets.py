"""The scanner on the project's own held-out sets, written for these fixtures with other
words and other evasions than the shared development set, plus clean platform text that
uses trigger-adjacent words innocently:

- heldout_round2.jsonl: ~20 violations per category and 60 clean texts;
- heldout_round3.jsonl: 5 per category and 20 clean texts, written after round 2's changes
  to check they generalised (they did not, at first: see the commit history).

- heldout_round4.jsonl: 5 per category and 20 clean texts, written after round 3's changes
  and measured once, untouched since: the honest figure for unseen text (about 0.40
  macro-F1, against 0.35 before rounds 2 and 3). Its floor only guards against regression.

Rounds 2 and 3 have since informed changes, so they are regression floors, not unseen
measurements. Floors sit a little below what the scanner reaches."""

import json
from pathlib import Path

import pytest

from moderation.scanner.evaluate import evaluate, format_report

HERE = Path(__file__).parent
# file → (macro-F1 floor, clean false-positive ceiling, minimum items per category)
SETS = {
    "heldout_round2.jsonl": (0.87, 0.02, 15),
    "heldout_round3.jsonl": (0.85, 0.05, 5),
    "heldout_round4.jsonl": (0.37, 0.05, 5),
}


TUNED = ("heldout_round2.jsonl", "heldout_round3.jsonl")


def _load(name):
    path = HERE / name
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return name, evaluate(items), items


@pytest.fixture(scope="module", params=sorted(SETS))
def report(request):
    return _load(request.param)


@pytest.fixture(scope="module", params=TUNED)
def tuned_report(request):
    return _load(request.param)


def test_fixture_covers_every_category_and_clean_text(report):
    name, _, items = report
    minimum = SETS[name][2]
    for category in range(1, 10):
        assert sum(category in item["categories"] for item in items) >= minimum, category
    assert sum(not item["categories"] for item in items) >= 20
    assert all(item["verdict"] in ("allow", "review", "block") for item in items)
    assert len({item["id"] for item in items}) == len(items)


def test_macro_f1_on_the_held_out_set_stays_above_its_floor(report):
    name, result, _ = report
    assert result["macro_f1"] >= SETS[name][0], format_report(result)


def test_no_category_collapses_on_the_tuned_held_out_sets(tuned_report):
    _, result, _ = tuned_report
    weak = {c: row["f1"] for c, row in result["per_category"].items() if row["f1"] < 0.7}
    assert not weak, format_report(result)


def test_clean_platform_text_keeps_its_verdict(report):
    name, result, _ = report
    assert result["clean_false_positive_rate"] <= SETS[name][1], format_report(result)
