"""Training examples from moderators' decisions (the third source of ``moderation_train``).

What counts, and with which label:

- a case a moderator decided as a violation — content removed, a warning or a penalty
  (``case_decide`` with ``remove``/``warn``/``penalize``): the case's evidence snapshot
  (the title and text as they stood when the case was opened), labelled with the category
  of the rule the moderator decided on;
- a case a moderator dismissed (``case_decide`` with ``dismiss``), and a scan a moderator
  released (``scan_resolve`` with ``dismiss`` by a moderator — the case it opened closes
  with it): labelled clean.

What never counts: reports alone (an open case, whatever its reports say), a case that
closed because a rescan no longer needed a person (nobody decided), a scan an editor
released (editors are not moderators), a decision later overturned on appeal, and an
empty text. Two decisions on the same text keep the newest. Reading only; no writes.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.db.models import Q

from moderation.models import (
    AuditEntry,
    Case,
    CaseDecision,
    CaseStatus,
    PenaltyStatus,
    ResolverRole,
)
from moderation.scanner.corpus import LabeledItem

DECISION_SOURCE = "decisions"
_DECIDE_ACTIONS = [f"case.{value}" for value in CaseDecision.values]


def _category(rule_code: str) -> int | None:
    head = (rule_code or "").split(".")[0]
    return int(head) if head.isdigit() and 1 <= int(head) <= 9 else None


def decision_examples(*, since: datetime | None = None, until: datetime | None = None) -> list[LabeledItem]:
    """The labelled examples moderators' decisions give (see the module's docstring),
    oldest decision first; ``since``/``until`` bound the decision time."""
    decided_by_case_decide = {
        int(case_id)
        for case_id in AuditEntry.objects.filter(action__in=_DECIDE_ACTIONS).values_list("data__case", flat=True)
        if case_id is not None and str(case_id).isdigit()
    }
    cases = Case.objects.filter(status=CaseStatus.DECIDED, decided_by__isnull=False).select_related("scan_record")
    if since is not None:
        cases = cases.filter(decided_at__gte=since)
    if until is not None:
        cases = cases.filter(decided_at__lt=until)
    overturned = set(
        Case.objects.filter(penalties__status=PenaltyStatus.OVERTURNED).values_list("pk", flat=True).distinct()
    )
    by_text: dict[str, LabeledItem] = {}
    for case in cases.filter(Q(decision__in=CaseDecision.values)).order_by("decided_at", "pk"):
        if case.pk in overturned:
            continue
        if case.pk not in decided_by_case_decide:
            # Closed with its scan: it counts only when a moderator released or removed it.
            record = case.scan_record
            if record is None or record.resolved_as != ResolverRole.MODERATOR:
                continue
            if record.resolved_by_id != case.decided_by_id:
                continue
        evidence = case.evidence or {}
        title = str(evidence.get("title") or "")
        body = str(evidence.get("text") or "")
        if not (title.strip() or body.strip()):
            continue
        if case.decision == CaseDecision.DISMISS:
            categories: frozenset[int] = frozenset()
            rules: tuple[str, ...] = ()
        else:
            category = _category(case.decision_rule or case.rule_code)
            if category is None:
                continue
            categories = frozenset({category})
            rules = (case.decision_rule,) if case.decision_rule else ()
        key = hashlib.sha256(f"{title}\x00{body}".encode("utf-8", "surrogatepass")).hexdigest()
        by_text.pop(key, None)  # the newest decision on the same text wins (and moves to the end)
        by_text[key] = LabeledItem(
            id=f"decision-case-{case.pk}",
            title=title,
            body=body,
            categories=categories,
            rules=rules,
            source=DECISION_SOURCE,
        )
    return list(by_text.values())


def decision_counts(items: list[LabeledItem]) -> dict:
    """How many examples per label, for the command's output and a version's sources."""
    per_category: dict[str, int] = {}
    clean = 0
    for item in items:
        if not item.categories:
            clean += 1
        for category in item.categories:
            per_category[str(category)] = per_category.get(str(category), 0) + 1
    return {"items": len(items), "clean": clean, "per_category": dict(sorted(per_category.items()))}
