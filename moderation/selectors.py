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


def audit_history(obj: models.Model, *, labels: dict, limit: int = 50) -> list:
    """The audit entries about ``obj``, newest first, each with a readable ``label`` taken
    from ``labels`` (action → label; the action itself when it has none) — for the history
    panels of other apps' screens."""
    from moderation.models import AuditEntry

    content_type = ContentType.objects.get_for_model(obj._meta.concrete_model)
    entries = list(
        AuditEntry.objects.filter(target_type=content_type, target_id=str(obj.pk))
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
    from moderation.audit_labels import audit_action_label

    for entry in entries:
        entry.label = labels.get(entry.action) or audit_action_label(entry.action)
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


# ---------------------------------------------------------------------------
# Cases: the queue of open cases, one case, and the monthly transparency report

CASE_SOURCES = ("scan", "report", "both")
CASE_AGES = ("today", "week", "older")
CASE_QUEUE_TABS = ("all", *CASE_SOURCES)


@dataclass(frozen=True)
class CaseFilters:
    """The queue's filters, already validated (an unknown value is left empty)."""

    category: int | None = None
    source: str = ""
    target: str = ""  # a registered model's name: article, comment, user
    age: str = ""

    @classmethod
    def parse(cls, params) -> CaseFilters:
        category = params.get("category", "")
        target = params.get("target", "")
        return cls(
            category=int(category) if category.isdigit() and 1 <= int(category) <= 9 else None,
            source=params.get("source", "") if params.get("source") in CASE_SOURCES else "",
            target=target if target in dict(case_target_types()) else "",
            age=params.get("age", "") if params.get("age") in CASE_AGES else "",
        )


def case_target_types() -> list[tuple[str, str]]:
    """(model name, label) of every registered model: what a report or a case can be about."""
    from moderation.registry import registry

    return [(model._meta.model_name, adapter.get_label()) for model, adapter in registry.items()]


def _case_source_q(source: str) -> Q:
    return {
        "scan": Q(has_scan=True, has_reports=False),
        "report": Q(has_scan=False, has_reports=True),
        "both": Q(has_scan=True, has_reports=True),
    }.get(source, Q())


def _case_filters_q(filters: CaseFilters, *, with_source: bool = True) -> Q:
    from datetime import timedelta

    from django.utils import timezone

    from moderation.registry import registry

    condition = Q(status="open")
    if filters.category is not None:
        condition &= Q(category=filters.category)
    if with_source and filters.source:
        condition &= _case_source_q(filters.source)
    if filters.target:
        for model, _adapter in registry.items():
            if model._meta.model_name == filters.target:
                condition &= Q(content_type=ContentType.objects.get_for_model(model))
    now = timezone.now()
    if filters.age == "today":
        condition &= Q(opened_at__gte=timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0))
    elif filters.age == "week":
        condition &= Q(opened_at__gte=now - timedelta(days=7))
    elif filters.age == "older":
        condition &= Q(opened_at__lt=now - timedelta(days=7))
    return condition


def case_queue(*, filters: CaseFilters) -> QuerySet:
    """Open cases, most urgent first (then oldest): the moderation queue."""
    from moderation.models import Case

    return (
        Case.objects.filter(_case_filters_q(filters))
        .select_related("scan_record")
        .order_by("-priority", "opened_at", "id")
    )


def case_queue_counts(*, filters: CaseFilters) -> dict[str, int]:
    """How many open cases each source tab holds under the other filters (one query)."""
    from moderation.models import Case

    counts = {"all": Count("id")}
    counts.update({source: Count("id", filter=_case_source_q(source)) for source in CASE_SOURCES})
    return Case.objects.filter(_case_filters_q(filters, with_source=False)).aggregate(**counts)


def _evidence_findings(cases) -> dict[int, list[Finding]]:
    """{case id: the findings of its scan record} when the findings index the case's
    evidence (the snapshot is the text that was scanned); one query for all the cases."""
    from moderation.services.scans import content_hash

    by_record: dict[int, list[Finding]] = defaultdict(list)
    record_ids = [case.scan_record_id for case in cases if case.scan_record_id]
    if record_ids:
        for finding in Finding.objects.filter(record_id__in=record_ids).order_by("-field", "start", "id"):
            by_record[finding.record_id].append(finding)
    result = {}
    for case in cases:
        record = case.scan_record
        evidence = case.evidence or {}
        same_text = (
            record is not None
            and content_hash(evidence.get("title", ""), evidence.get("text", "")) == record.content_hash
        )
        result[case.pk] = by_record[record.pk] if same_text else []
    return result


def _marked(findings: list[Finding]) -> list[Finding]:
    # A near-duplicate covers the whole body: listed, not painted over everything.
    return [f for f in findings if f.detector != "near_duplicate"]


@dataclass
class CaseRow:
    case: models.Model
    rule_title: str
    findings: list[Finding]
    excerpt: str  # the start of the text, when no finding marks a passage

    @property
    def marked_findings(self) -> list[Finding]:
        return _marked(self.findings)

    @property
    def held(self) -> bool:
        record = self.case.scan_record
        return bool(record is not None and record.held and record.status in UNRESOLVED_STATUSES)


CASE_EXCERPT_CHARS = 140


def case_rows(cases: Iterable) -> list[CaseRow]:
    """The queue's rows: each case with its rule's title and its scan findings (two queries
    for the whole page, whatever the number of cases or of reports on them)."""
    from moderation.models import Rule

    cases = list(cases)
    findings = _evidence_findings(cases)
    codes = {case.rule_code for case in cases if case.rule_code}
    titles = dict(Rule.objects.filter(convention__is_current=True, code__in=codes).values_list("code", "title"))
    rows = []
    for case in cases:
        text = (case.evidence or {}).get("text", "")
        rows.append(
            CaseRow(
                case=case,
                rule_title=titles.get(case.rule_code, ""),
                findings=findings[case.pk],
                excerpt=text[:CASE_EXCERPT_CHARS] + ("…" if len(text) > CASE_EXCERPT_CHARS else ""),
            )
        )
    return rows


def case_next_open(*, after) -> models.Model | None:
    """The most urgent open case other than ``after``: where a moderator goes next."""
    from moderation.models import Case

    return Case.objects.filter(status="open").exclude(pk=after.pk).order_by("-priority", "opened_at", "id").first()


@dataclass
class LinkedAccount:
    """An account that shares a sign-in IP address or browser with a case's subject."""

    user: models.Model
    penalty_count: int
    shared: list[str]  # the addresses and browsers they share


@dataclass
class CaseDetail:
    case: models.Model
    rule_title: str
    findings: list[Finding]
    reports: list
    penalties: list
    linked: list[LinkedAccount]
    proposal: object | None  # moderation.services.penalties.ProposalView, for open cases with a subject
    penalty: object | None  # the penalty the decision applied

    @property
    def marked_findings(self) -> list[Finding]:
        return _marked(self.findings)

    @property
    def captured_at(self):
        """When the evidence was taken (the case's opening, for snapshots without the time)."""
        from django.utils.dateparse import parse_datetime

        value = (self.case.evidence or {}).get("captured_at")
        return (parse_datetime(value) if isinstance(value, str) else None) or self.case.opened_at


LINKED_ACCOUNTS_SHOWN = 20


def _linked_accounts(subject) -> list[LinkedAccount]:
    """Accounts sharing sign-in signals with ``subject``, with their counting penalties and
    what they share: two queries, whatever the number of records."""
    from accounts.models import SignInRecord
    from accounts.selectors import accounts_sharing_signals

    users = list(
        accounts_sharing_signals(subject).annotate(
            penalty_count=Count("penalties", filter=Q(penalties__counts=True), distinct=True)
        )[:LINKED_ACCOUNTS_SHOWN]
    )
    if not users:
        return []
    ips = SignInRecord.objects.filter(user=subject, ip_address__isnull=False).values("ip_address")
    agents = SignInRecord.objects.filter(user=subject).exclude(user_agent="").values("user_agent")
    shared: dict[int, set[str]] = defaultdict(set)
    own = SignInRecord.objects.filter(user__in=users).filter(Q(ip_address__in=ips) | Q(user_agent__in=agents))
    subject_ips = set(ips.values_list("ip_address", flat=True))
    for user_id, ip, agent in own.values_list("user_id", "ip_address", "user_agent").distinct():
        shared[user_id].add(ip if ip in subject_ips else agent)
    return [LinkedAccount(user=u, penalty_count=u.penalty_count, shared=sorted(shared[u.pk])) for u in users]


def case_detail(*, pk: int) -> CaseDetail:
    """Everything the case page shows, in a constant number of queries (whatever the number
    of reports): the case and its snapshot's findings, the reports with their rules, the
    subject's penalties and linked accounts, and for an open case the policy's proposal."""
    from django.shortcuts import get_object_or_404

    from moderation.models import Case, Penalty, Report
    from moderation.services.penalties import penalty_proposal

    case = get_object_or_404(Case.objects.select_related("subject", "scan_record", "decided_by", "content_type"), pk=pk)
    rows = case_rows([case])
    reports = list(
        Report.objects.filter(case=case)
        .select_related("reporter")
        .annotate(rule_title=_rule_title("convention_version"))
        .order_by("created_at", "id")
    )
    penalties, linked, proposal, penalty = [], [], None, None
    if case.subject is not None:
        penalties = list(penalty_list_for_user(user=case.subject).select_related("case"))
        linked = _linked_accounts(case.subject)
        if case.is_open:
            proposal = penalty_proposal(case=case)
    if not case.is_open:
        penalty = Penalty.objects.filter(case=case).order_by("-id").first()
    return CaseDetail(
        case=case,
        rule_title=rows[0].rule_title,
        findings=rows[0].findings,
        reports=reports,
        penalties=penalties,
        linked=linked,
        proposal=proposal,
        penalty=penalty,
    )


@dataclass
class MonthlyFigures:
    """One month of the transparency report: totals, and the same by category."""

    month: object  # a date, the first of the month
    decided: int = 0
    removed: int = 0
    warned: int = 0
    penalized: int = 0
    by_category: list[tuple[int, str, dict[str, int]]] = field(default_factory=list)


REPORT_MONTHS = 12


def moderation_monthly_stats(*, months: int = REPORT_MONTHS, now=None) -> list[MonthlyFigures]:
    """Cases decided, content removed, warnings and penalties by month (Beijing time) and
    category over the last ``months`` months, newest first — every month listed, empty ones
    too. Counted in SQL (TruncMonth, one query) plus one for the category names; nothing
    personal leaves this function, so the public page uses it as it is."""
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    from moderation.models import Case, CaseDecision, CaseStatus, RuleCategory

    local = timezone.localtime(now or timezone.now())
    first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    starts = []
    year, month = first.year, first.month
    for _i in range(months):
        starts.append(first.replace(year=year, month=month).date())
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    since = first.replace(year=starts[-1].year, month=starts[-1].month)
    rows = (
        Case.objects.filter(status=CaseStatus.DECIDED, decided_at__gte=since)
        .annotate(month=TruncMonth("decided_at"))
        .values("month", "category")
        .annotate(
            decided=Count("id"),
            removed=Count("id", filter=Q(content_removed=True)),
            warned=Count("id", filter=Q(decision=CaseDecision.WARN)),
            penalized=Count("id", filter=Q(decision=CaseDecision.PENALIZE)),
        )
        .order_by("month", "category")
    )
    names = dict(RuleCategory.objects.filter(convention__is_current=True).values_list("number", "name"))
    figures = {start: MonthlyFigures(month=start) for start in starts}
    metrics = ("decided", "removed", "warned", "penalized")
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        entry = figures.get(month)
        if entry is None:
            continue
        for name in metrics:
            setattr(entry, name, getattr(entry, name) + row[name])
        number = row["category"]
        entry.by_category.append((number or 0, names.get(number, ""), {name: row[name] for name in metrics}))
    return [figures[start] for start in starts]


# ---------------------------------------------------------------------------
# The report form


def convention_rules() -> list:
    """The rules of the convention in force with their categories, in order (one query)."""
    from moderation.models import Rule

    return list(
        Rule.objects.filter(convention__is_current=True)
        .select_related("category", "convention")
        .order_by("category__number", "position")
    )


def report_open_exists(*, reporter, target: models.Model) -> bool:
    """Whether ``reporter`` already has an open report on ``target`` (one query)."""
    from moderation.models import Report
    from moderation.registry import registry

    content_type = ContentType.objects.get_for_model(registry.adapter_for(target).model)
    return Report.objects.filter(
        reporter=reporter, content_type=content_type, object_id=target.pk, status="open"
    ).exists()
