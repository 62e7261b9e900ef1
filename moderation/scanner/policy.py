"""The verdict: what a person should do with a text, given its findings.

- any finding whose action is `block` → `block` (held until a moderator resolves it);
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


def verdict(findings: Iterable[Finding]) -> str:
    flags: Counter[int] = Counter()
    worst = "allow"
    for finding in findings:
        if finding.action == "block":
            return "block"
        if finding.action == "review":
            worst = "review"
        elif finding.action == "flag":
            flags[finding.category] += 1
    if worst == "allow" and flags and (max(flags.values()) >= FLAGS_FOR_REVIEW or len(flags) >= FLAGS_FOR_REVIEW):
        worst = "review"
    return worst
