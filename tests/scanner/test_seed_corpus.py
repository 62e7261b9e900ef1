"""The project's own labelled corpus (seeds/corpus/**/*.jsonl) is well formed.

Pure and fast: reads the JSONL files and seeds/convention.json, nothing else. The model
stage trains on these files, so a malformed line, a rule code that does not exist, a label
that contradicts itself or the same text twice would silently teach it the wrong thing.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CORPUS = SEEDS / "corpus"
FIELDS = {"id", "kind", "title", "body", "categories", "rules", "verdict", "note"}
KINDS = {"comment", "title", "article", "profile"}


def _rule_codes() -> dict[str, int]:
    convention = json.loads((SEEDS / "convention.json").read_text(encoding="utf-8"))
    return {rule["code"]: category["number"] for category in convention["categories"] for rule in category["rules"]}


RULES = _rule_codes()
FILES = sorted(CORPUS.glob("**/*.jsonl"))


def _lines():
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.split("\n"), 1):
            if line.strip():
                yield path, number, line


@pytest.fixture(scope="module")
def items():
    parsed = []
    for path, number, line in _lines():
        where = f"{path.relative_to(SEEDS)}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            pytest.fail(f"{where}: not JSON ({exc})")
        assert isinstance(item, dict), f"{where}: not an object"
        parsed.append((where, path, item))
    return parsed


def test_the_corpus_has_both_halves():
    assert (CORPUS / "violations").is_dir() and any((CORPUS / "violations").glob("*.jsonl"))
    assert FILES, "no corpus files"


def test_every_line_has_the_fields_with_the_right_types(items):
    for where, _, item in items:
        assert set(item) == FIELDS, f"{where}: fields {sorted(set(item) ^ FIELDS)} missing or unexpected"
        assert isinstance(item["id"], str) and item["id"].strip(), f"{where}: id"
        assert item["kind"] in KINDS, f"{where}: kind {item['kind']!r}"
        assert isinstance(item["title"], str) and isinstance(item["body"], str), f"{where}: title/body"
        assert (item["title"] + item["body"]).strip(), f"{where}: empty text"
        assert isinstance(item["note"], str) and item["note"].strip(), f"{where}: note"
        assert isinstance(item["categories"], list) and isinstance(item["rules"], list), f"{where}: lists"


def test_ids_are_unique_across_all_files(items):
    counts = Counter(item["id"] for _, _, item in items)
    repeated = sorted(key for key, count in counts.items() if count > 1)
    assert not repeated, f"ids used more than once: {repeated[:20]}"


def test_categories_and_rules_exist_and_agree(items):
    for where, _, item in items:
        categories, rules = item["categories"], item["rules"]
        assert all(type(c) is int and 1 <= c <= 9 for c in categories), f"{where}: categories {categories}"
        assert len(set(categories)) == len(categories), f"{where}: repeated category"
        unknown = [code for code in rules if code not in RULES]
        assert not unknown, f"{where}: rule codes not in seeds/convention.json: {unknown}"
        assert len(set(rules)) == len(rules), f"{where}: repeated rule"
        assert {RULES[code] for code in rules} == set(categories), (
            f"{where}: rules {rules} do not match categories {categories}"
        )


def test_verdict_agrees_with_the_categories(items):
    for where, _, item in items:
        if item["categories"]:
            assert item["verdict"] in {"review", "block"}, f"{where}: a violation with verdict {item['verdict']!r}"
        else:
            assert item["verdict"] == "allow", f"{where}: a clean item with verdict {item['verdict']!r}"


def test_each_directory_holds_its_own_half(items):
    for where, path, item in items:
        half = path.relative_to(CORPUS).parts[0]
        if half == "violations":
            assert item["categories"], f"{where}: a clean item among the violations"
        elif half == "clean":
            assert not item["categories"], f"{where}: a violation among the clean items"


def test_no_text_appears_twice(items):
    seen: dict[tuple[str, str], str] = {}
    for where, _, item in items:
        key = (item["title"].strip(), item["body"].strip())
        assert key not in seen, f"{where}: same text as {seen[key]}"
        seen[key] = where


def test_every_rule_of_the_convention_is_covered_by_violations(items):
    counts = Counter(code for _, path, item in items if "violations" in path.parts for code in item["rules"])
    thin = sorted((code for code in RULES if counts[code] < 5), key=lambda c: tuple(map(int, c.split("."))))
    assert not thin, f"rules with fewer than 5 violating examples: {thin}"
