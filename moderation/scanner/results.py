"""What a scan returns: findings (one per hit, with offsets into the original text) and a verdict."""

from __future__ import annotations

from dataclasses import dataclass, field

ACTIONS = ("flag", "review", "block")
VERDICTS = ("allow", "review", "block")
FIELDS = ("title", "body")


def category_of(rule: str) -> int:
    """`"3.4"` → 3."""
    head = rule.split(".", 1)[0]
    return int(head) if head.isdigit() else 0


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    category: int
    detector: str
    field: str
    start: int
    end: int
    match: str
    score: float
    action: str

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "category": self.category,
            "detector": self.detector,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "match": self.match,
            "score": round(self.score, 3),
            "action": self.action,
        }


def make_finding(
    *, rule: str, detector: str, field: str, original: str, start: int, end: int, score: float, action: str
) -> Finding:
    """A finding whose `match` is, by construction, `original[start:end]`."""
    return Finding(
        rule=rule,
        category=category_of(rule),
        detector=detector,
        field=field,
        start=start,
        end=end,
        match=original[start:end],
        score=max(0.0, min(1.0, score)),
        action=action,
    )


@dataclass(frozen=True, slots=True)
class Result:
    verdict: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def categories(self) -> list[int]:
        return sorted({f.category for f in self.findings})

    def to_dict(self) -> dict:
        return {"verdict": self.verdict, "findings": [f.to_dict() for f in self.findings]}
