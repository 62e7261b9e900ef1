"""The verdict: what a person should do with a text, given its findings.

- any finding whose action is `block` → `block` (held until a moderator resolves it);
- `review` findings in two or more categories (a sensational title that also spreads a
  false claim, a scandal hyped with bait) or three or more `review` findings in one text
  add up to `block`: each alone is a judgement call, together they are a pattern;
- otherwise any `review` → `review` (queued for a moderator, stays visible);
- `flag` findings are notes for the moderator; three or more in one category, or flags in
  three different categories, add up to `review`;
- nothing → `allow`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .results import Finding

FLAGS_FOR_REVIEW = 3
REVIEWS_FOR_BLOCK = 3
REVIEW_CATEGORIES_FOR_BLOCK = 2


def verdict(findings: Iterable[Finding]) -> str:
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
