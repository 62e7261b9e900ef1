"""The enforcement policies as pure functions (no Django): which penalty a violation
proposes (PRODUCT §5), and how urgent a case is in the queue.

Their numbers come from settings (``MODERATION_POLICY``, read by moderation.selectors
.policy_config); tests give their own.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

BAN_STEP = 5

DEFAULT_SEVERITY_BASE = {"low": 0, "medium": 1, "high": 2, "critical": 4}
# Queue weight of a case's worst rule: a critical item outranks many low ones.
DEFAULT_SEVERITY_WEIGHT = {"low": 1.0, "medium": 2.0, "high": 4.0, "critical": 8.0}


@dataclass(frozen=True)
class PolicyConfig:
    severity_base: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_SEVERITY_BASE))
    aggravation_weight: int = 1
    max_step: int = BAN_STEP
    severity_weight: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SEVERITY_WEIGHT))
    # Weight of the scanner's evidence next to one report of average accuracy.
    scan_weight: float = 2.0


@dataclass(frozen=True)
class Proposal:
    """The proposed step and what it is made of, so a page can show why."""

    step: int
    base: int
    history: int
    aggravations: tuple[str, ...]
    capped: bool


def propose_step(
    *, severity: str, prior_violations: int, aggravations: Collection[str], config: PolicyConfig
) -> Proposal:
    """base(severity) + confirmed prior violations + one per aggravating circumstance,
    capped at a ban. Monotone in each argument: more never gives a lighter step.

    ``prior_violations`` counts only violations that still count (the caller leaves out
    lifted and overturned penalties, and those older than the history window).
    """
    if severity not in config.severity_base:
        raise ValueError(f"unknown severity {severity!r}")
    if prior_violations < 0:
        raise ValueError("prior_violations must not be negative")
    distinct = tuple(sorted(set(aggravations)))
    base = config.severity_base[severity]
    raw = base + prior_violations + config.aggravation_weight * len(distinct)
    step = max(0, min(config.max_step, raw))
    return Proposal(step=step, base=base, history=prior_violations, aggravations=distinct, capped=raw > step)


def reporter_accuracy(*, upheld: int, rejected: int) -> float:
    """Share of a reporter's decided reports that were upheld, smoothed towards one half
    (Laplace), so one lucky or unlucky report says little and a new reporter counts 0.5."""
    return (upheld + 1) / (upheld + rejected + 2)


def case_priority(
    *,
    severity: str,
    reporter_accuracies: Iterable[float],
    scan_score: float,
    has_scan: bool,
    escalated: bool,
    config: PolicyConfig,
) -> float:
    """How urgent a case is, in the spirit of Discourse's reviewable scores: the worst
    rule's weight times the evidence — each distinct reporter counts 1 + their accuracy,
    the scanner counts ``scan_weight`` × its score, an editor's escalation one more."""
    weight = config.severity_weight.get(severity, 1.0)
    evidence = sum(1.0 + accuracy for accuracy in reporter_accuracies)
    if has_scan:
        evidence += config.scan_weight * max(0.0, min(1.0, scan_score))
    if escalated:
        evidence += 1.0
    return round(weight * evidence, 4)
