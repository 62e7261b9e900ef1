"""Reads for the moderation app.

The articles (and other) apps call ``scan_latest``, ``findings_for``, ``findings_for_many``
and ``is_blocked`` to show scan results in their own screens.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q, QuerySet

from moderation.models import UNRESOLVED_STATUSES, ConventionVersion, Finding, ScanRecord, ScanStatus, Term, Verdict


def convention_current() -> ConventionVersion | None:
    return ConventionVersion.objects.filter(is_current=True).first()


# ---------------------------------------------------------------------------
# Scan results of one object


def _latest_records(obj: models.Model) -> QuerySet[ScanRecord]:
    content_type = ContentType.objects.get_for_model(obj._meta.concrete_model)
    return ScanRecord.objects.filter(content_type=content_type, object_id=obj.pk, is_latest=True)


def scan_latest(obj: models.Model) -> ScanRecord | None:
    """The record of the newest scan of ``obj`` (None if it was never scanned)."""
    return _latest_records(obj).select_related("resolved_by").first()


def findings_for(obj: models.Model) -> list[Finding]:
    """The findings of the newest scan of ``obj``, title first, in text order."""
    return list(Finding.objects.filter(record__in=_latest_records(obj)).order_by("-field", "start", "id"))


def findings_for_many(objs: Sequence[models.Model]) -> dict[int, list[Finding]]:
    """{obj.pk: findings of its newest scan} for objects of ONE model, in one query.

    Objects never scanned (or scanned clean) map to an empty list.
    """
    objs = list(objs)
    result: dict[int, list[Finding]] = {obj.pk: [] for obj in objs}
    if not objs:
        return result
    models_seen = {obj._meta.concrete_model for obj in objs}
    if len(models_seen) != 1:
        raise ValueError("findings_for_many 只接受同一种模型的对象。")
    content_type = ContentType.objects.get_for_model(models_seen.pop())
    findings = (
        Finding.objects.filter(
            record__content_type=content_type, record__object_id__in=list(result), record__is_latest=True
        )
        .select_related("record")
        .order_by("-field", "start", "id")
    )
    for finding in findings:
        result[finding.record.object_id].append(finding)
    return result


def is_blocked(obj: models.Model) -> bool:
    """True while the newest scan of ``obj`` blocked it and no person released it."""
    return _latest_records(obj).filter(verdict=Verdict.BLOCK, status__in=UNRESOLVED_STATUSES).exists()


# ---------------------------------------------------------------------------
# The moderation queue

QUEUE_FILTERS = {
    "all": Q(status__in=UNRESOLVED_STATUSES),
    "block": Q(status=ScanStatus.OPEN, verdict=Verdict.BLOCK),
    "review": Q(status=ScanStatus.OPEN, verdict=Verdict.REVIEW),
    "escalated": Q(status=ScanStatus.ESCALATED),
}


def queue_records(*, kind: str = "all") -> QuerySet[ScanRecord]:
    """Latest scans waiting for a person: blocked first, then escalated, oldest first."""
    condition = QUEUE_FILTERS.get(kind, QUEUE_FILTERS["all"])
    return (
        ScanRecord.objects.filter(condition, is_latest=True)
        .select_related("owner", "resolved_by")
        .order_by(
            models.Case(
                models.When(verdict=Verdict.BLOCK, then=0),
                models.When(status=ScanStatus.ESCALATED, then=1),
                default=2,
            ),
            "created_at",
            "id",
        )
    )


def queue_counts() -> dict[str, int]:
    """How many items each tab of the queue holds (one query)."""
    return ScanRecord.objects.filter(is_latest=True).aggregate(
        **{name: Count("id", filter=condition) for name, condition in QUEUE_FILTERS.items()}
    )


@dataclass
class QueueItem:
    record: ScanRecord
    obj: models.Model | None
    label: str
    title: str = ""
    text: str = ""
    url: str = ""
    stale: bool = False  # the object changed since this scan; a new scan is on its way
    findings: list[Finding] = field(default_factory=list)

    @property
    def marked_findings(self) -> list[Finding]:
        """The findings to mark in the text: a near-duplicate covers the whole body, so it
        is listed but not painted over everything."""
        return [f for f in self.findings if f.detector != "near_duplicate"]


def queue_items(records: Iterable[ScanRecord]) -> list[QueueItem]:
    """Attach each record's object (through its adapter) and findings.

    Queries: one for the findings, one per registered model present on the page — never
    one per item.
    """
    from moderation.registry import NotRegistered, registry
    from moderation.services import content_hash

    records = list(records)
    findings_by_record: dict[int, list[Finding]] = defaultdict(list)
    for finding in Finding.objects.filter(record__in=records).order_by("-field", "start", "id"):
        findings_by_record[finding.record_id].append(finding)
    ids_by_type: dict[int, list[int]] = defaultdict(list)
    for record in records:
        ids_by_type[record.content_type_id].append(record.object_id)
    objects: dict[tuple[int, int], models.Model] = {}
    adapters = {}
    for content_type_id, ids in ids_by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        try:
            adapter = registry.adapter_for(model)
        except NotRegistered:
            continue
        adapters[content_type_id] = adapter
        for obj in adapter.get_queryset().filter(pk__in=ids):
            objects[(content_type_id, obj.pk)] = obj
    items = []
    for record in records:
        obj = objects.get((record.content_type_id, record.object_id))
        adapter = adapters.get(record.content_type_id)
        item = QueueItem(
            record=record,
            obj=obj,
            label=adapter.get_label() if adapter else "",
            findings=findings_by_record[record.pk],
        )
        if obj is not None:
            item.title = adapter.get_title(obj) or ""
            item.text = adapter.get_text(obj) or ""
            item.url = adapter.get_url(obj) or ""
            item.stale = content_hash(item.title, item.text) != record.content_hash
        items.append(item)
    return items


# ---------------------------------------------------------------------------
# The lexicon


def term_list(*, q: str = "", rule: str = "", action: str = "", state: str = "") -> QuerySet[Term]:
    terms = Term.objects.select_related("updated_by").order_by("rule_code", "term")
    if q:
        terms = terms.filter(Q(term__icontains=q) | Q(note__icontains=q))
    if rule:
        # "3" means the whole category, "3.4" one rule.
        by_rule = Q(rule_code=rule) if "." in rule else Q(rule_code__startswith=f"{rule}.")
        terms = terms.filter(by_rule)
    if action:
        terms = terms.filter(action=action)
    if state == "enabled":
        terms = terms.filter(enabled=True)
    elif state == "disabled":
        terms = terms.filter(enabled=False)
    return terms


# ---------------------------------------------------------------------------
# The audit log


def audit_list(*, prefix: str = "", actor: str = "") -> QuerySet:
    """Audit entries, newest first; ``prefix`` narrows to one entity ("term", "scan", "article")."""
    from moderation.models import AuditEntry

    entries = AuditEntry.objects.select_related("actor", "target_type").order_by("-created_at", "-id")
    if prefix:
        entries = entries.filter(action__startswith=f"{prefix}.")
    if actor:
        entries = entries.filter(actor__username=actor)
    return entries

# ---------------------------------------------------------------------------
# What a user sees of their own reports and penalties (/accounts/me/)


def _rule_title(version_field: str):
    """The title of the rule coded ``rule_code`` in the row's convention version (the
    current one when the row names none), as a subquery: no query per row."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from moderation.models import Rule

    same_code = Rule.objects.filter(code=OuterRef("rule_code")).values("title")
    return Coalesce(
        Subquery(same_code.filter(convention__version=OuterRef(version_field))[:1]),
        Subquery(same_code.filter(convention__is_current=True)[:1]),
        models.Value(""),
    )


def report_list_for_reporter(*, user, limit: int = 50) -> QuerySet:
    """The reporter's own reports, newest first, with their case (its evidence snapshot
    says what was reported) and ``rule_title``: one query."""
    from moderation.models import Report

    return (
        Report.objects.filter(reporter=user)
        .select_related("case")
        .annotate(rule_title=_rule_title("convention_version"))
        .order_by("-created_at", "-id")[:limit]
    )


def penalty_list_for_user(*, user) -> QuerySet:
    """The user's penalties, newest first, each with ``rule_title``: one query.

    A user has a handful at most (the ladder ends in a ban), so the list is not paginated.
    """
    from moderation.models import Penalty

    return (
        Penalty.objects.filter(user=user)
        .annotate(rule_title=_rule_title("convention_version"))
        .order_by("-starts_at", "-id")
    )
