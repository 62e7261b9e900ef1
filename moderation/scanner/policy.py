"""The verdict: what a person should do with a text, given its findings.

- any finding whose action is `block` → `block` (held until a moderator resolves it);
- `review` findings in two or more categories (a sensational title that also spreads a
  false claim, a scandal hyped with bait) or three or more `review` findings in one text
  add up to `block`: each alone is a judgement call, together they are a pattern;
- otherwise any `review` → `review` (queued for a moderator, stays visible);
- `flag` findings are notes for the moderator; three or more in one category, or flags in
  three different categories, add up to `review`;
- nothing → `allow`.

The model stage's findings (detector `model`, always `review`) stand apart from that count:
alone they make at most `review`, however many there are; a model finding in a category in
which a rule also found something makes `block` (the rule and the model agree).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .results import Finding

FLAGS_FOR_REVIEW = 3
REVIEWS_FOR_BLOCK = 3
REVIEW_CATEGORIES_FOR_BLOCK = 2


MODEL_DETECTOR = "model"


def verdict(findings: Iterable[Finding]) -> str:
    findings = list(findings)
    rules = [f for f in findings if f.detector != MODEL_DETECTOR]
    model = {f.category for f in findings if f.detector == MODEL_DETECTOR}
    decided = _rules_verdict(rules)
    if not model or decided == "block":
        return decided
    if model & {f.category for f in rules}:
        return "block"
    return "review"


def _rules_verdict(findings: list[Finding]) -> str:
    flags: Counter[int] = Counter()
    reviews: Counter[int] = Counter()
    for finding in findings:
        if finding.action == "block":
            return "block"
        if finding.action == "review":
            reviews[finding.category] += 1
        elif finding.action == "flag":
            flags[finding.category] += 1
    if reviews:
        if len(reviews) >= REVIEW_CATEGORIES_FOR_BLOCK or sum(reviews.values()) >= REVIEWS_FOR_BLOCK:
            return "block"
        return "review"
    if flags and (max(flags.values()) >= FLAGS_FOR_REVIEW or len(flags) >= FLAGS_FOR_REVIEW):
        return "review"
    return "allow"
