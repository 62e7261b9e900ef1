"""Cases: reports and scan findings on one target gathered into one open case, and the
moderator's decision on it (dismiss, remove the content, warn, penalise).

Locking: every write that opens or changes a target's case first locks the target's own
row (``_lock_target``), the same row scan_perform and scan_resolve lock, so two reports
arriving at once, a scan finishing during a report, or two moderators deciding at once
run one after the other. The partial unique constraint ``one_open_case_per_target``
backs this up in the database.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.errors import StateConflict
from cms.text import excerpt as text_excerpt
from moderation.models import (
    UNRESOLVED_STATUSES,
    Aggravation,
    Case,
    CaseDecision,
    CaseStatus,
    Penalty,
    ReportStatus,
    Rule,
    ScanRecord,
    ScanStatus,
    Verdict,
)
from moderation.policies import case_priority
from moderation.registry import registry
from moderation.selectors import convention_current
from moderation.services.audit import audit_record, require_perm

SEVERITY_ORDER = {"low": 0, "medium": 1, "high": 2, "critical": 3}
EVIDENCE_TEXT_MAX = 20000
DECISION_REASON_MAX = 2000


def _lock_target(model: type[models.Model], pk: int) -> None:
    list(model._default_manager.select_for_update().filter(pk=pk).values_list("pk", flat=True))


def _evidence(*, adapter, obj: models.Model) -> dict:
    """The content as it stands now: kept on the case whatever later happens to it."""
    owner = adapter.get_owner(obj)
    return {
        "label": adapter.get_label(),
        "title": (adapter.get_title(obj) or "")[:500],
        "text": (adapter.get_text(obj) or "")[:EVIDENCE_TEXT_MAX],
        "url": adapter.get_url(obj),
        "owner_id": owner.pk if owner is not None else None,
        "owner": owner.get_username() if owner is not None else "",
        "captured_at": timezone.now().isoformat(),
    }


def case_open_for(*, obj: models.Model) -> Case:
    """The target's open case, opened now (with its evidence snapshot) if it has none.

    Call inside a transaction; it locks the target's row first.
    """
    adapter = registry.adapter_for(obj)
    _lock_target(adapter.model, obj.pk)
    content_type = ContentType.objects.get_for_model(adapter.model)
    case = (
        Case.objects.select_for_update()
        .filter(content_type=content_type, object_id=obj.pk, status=CaseStatus.OPEN)
        .first()
    )
    if case is not None:
        return case
    owner = adapter.get_owner(obj)
    convention = convention_current()
    case = Case.objects.create(
        content_type=content_type,
        object_id=obj.pk,
        subject=owner,
        evidence=_evidence(adapter=adapter, obj=obj),
        convention_version=convention.version if convention is not None else "",
    )
    adapter.evidence_captured(obj, case=case)
    audit_record(actor=None, action="case.open", target=obj, data={"case": case.pk})
    return case


def _rule_severities(codes: Iterable[str]) -> dict[str, str]:
    codes = {code for code in codes if code}
    if not codes:
        return {}
    return dict(Rule.objects.filter(convention__is_current=True, code__in=codes).values_list("code", "severity"))


def case_refresh(*, case: Case, obj: models.Model | None = None) -> Case:
    """Recompute what the queue shows of an open case — its worst rule, sources, distinct
    reporters, scanner score and priority — and hide the content once enough reporters with
    a good record agree (settings MODERATION_AUTO_HIDE_*). Call with the target locked."""
    reports = list(case.reports.filter(status=ReportStatus.OPEN).values_list("reporter_id", "rule_code", "weight"))
    weight_by_reporter: dict[int, float] = {}
    for reporter_id, _code, weight in reports:
        weight_by_reporter[reporter_id] = max(weight, weight_by_reporter.get(reporter_id, 0.0))
    record = case.scan_record
    finding_rules: list[tuple[str, float]] = []
    if record is not None and record.status in UNRESOLVED_STATUSES:
        finding_rules = list(record.findings.values_list("rule_code", "score"))
    else:
        record = None
    severities = _rule_severities([code for _r, code, _w in reports] + [code for code, _s in finding_rules])

    def rank(code: str) -> tuple[int, int]:
        mentions = sum(1 for _r, c, _w in reports if c == code) + sum(1 for c, _s in finding_rules if c == code)
        return (SEVERITY_ORDER.get(severities.get(code, "low"), 0), mentions)

    codes = {code for _r, code, _w in reports} | {code for code, _s in finding_rules}
    top = max(sorted(codes), key=rank) if codes else case.rule_code
    case.rule_code = top or ""
    case.category = int(top.split(".")[0]) if top and top.split(".")[0].isdigit() else None
    case.severity = severities.get(top, case.severity or "low") if top else (case.severity or "low")
    case.has_reports = case.has_reports or bool(reports)
    case.reporter_count = len(weight_by_reporter)
    case.scan_score = max((score for _c, score in finding_rules), default=0.0)
    if record is not None:
        case.has_scan = True
        if record.verdict == Verdict.BLOCK:
            case.scan_score = max(case.scan_score, 1.0)
    from moderation.services.penalties import policy_config

    case.priority = case_priority(
        severity=case.severity or "low",
        reporter_accuracies=list(weight_by_reporter.values()),
        scan_score=case.scan_score if record is not None else 0.0,
        has_scan=record is not None,
        escalated=case.escalated,
        config=policy_config(),
    )
    if case.subject_id is not None:
        from moderation.services.penalties import penalty_proposal

        # Stored so lists of cases show it without asking the policy per row; the case page
        # and the decision compute it afresh from the subject's history.
        case.proposed_step = penalty_proposal(case=case).step
    trusted = sum(1 for w in weight_by_reporter.values() if w >= settings.MODERATION_AUTO_HIDE_MIN_ACCURACY)
    hide_now = not case.hidden_pending_review and obj is not None and trusted >= settings.MODERATION_AUTO_HIDE_REPORTERS
    if hide_now:
        adapter = registry.adapter_for(obj)
        adapter.hide(obj, reason=_("多位举报人举报，内容暂时隐藏，等待审核员处理。"))
        case.hidden_pending_review = True
        audit_record(actor=None, action="case.hide", target=obj, data={"case": case.pk, "reporters": trusted})
    case.save(
        update_fields=[
            "rule_code",
            "category",
            "severity",
            "has_reports",
            "has_scan",
            "reporter_count",
            "scan_score",
            "priority",
            "proposed_step",
            "hidden_pending_review",
            "updated_at",
        ]
    )
    return case


def case_attach_scan(*, record: ScanRecord, obj: models.Model) -> Case | None:
    """A scan that needs a person (open or escalated) joins the target's case; a scan that
    no longer does takes its part out again, closing a case that only it had opened.
    Called by scan_perform and scan_resolve with the target locked."""
    content_type_id = record.content_type_id
    case = (
        Case.objects.select_for_update()
        .filter(content_type_id=content_type_id, object_id=record.object_id, status=CaseStatus.OPEN)
        .first()
    )
    if record.status in UNRESOLVED_STATUSES and record.verdict != Verdict.ALLOW:
        case = case or case_open_for(obj=obj)
        case.scan_record = record
        case.has_scan = True
        case.escalated = case.escalated or record.status == ScanStatus.ESCALATED
        case.save(update_fields=["scan_record", "has_scan", "escalated", "updated_at"])
        return case_refresh(case=case, obj=obj)
    if case is None:
        return None
    if not case.reports.filter(status=ReportStatus.OPEN).exists():
        # The scan was the only reason for the case: it closes the way the scan was resolved.
        decision = CaseDecision.REMOVE if record.status == ScanStatus.REMOVED else CaseDecision.DISMISS
        case.status = CaseStatus.DECIDED
        case.decision = decision
        case.decided_by = record.resolved_by
        case.decided_at = timezone.now()
        case.decision_reason = record.resolution_reason or _("重新扫描后不再需要人工处理。")
        case.content_removed = decision == CaseDecision.REMOVE
        case.save(
            update_fields=[
                "status",
                "decision",
                "decided_by",
                "decided_at",
                "decision_reason",
                "content_removed",
                "updated_at",
            ]
        )
        return case
    case.scan_record = record
    case.save(update_fields=["scan_record", "updated_at"])
    return case_refresh(case=case, obj=obj)


def _notify_reporters(*, case: Case, upheld: bool) -> None:
    """Tell every reporter the outcome, without naming the moderator."""
    from accounts.services import notice_send

    label = case.evidence.get("label") or _("内容")
    excerpt = text_excerpt(case.evidence.get("title") or case.evidence.get("text") or "")
    if upheld:
        text = _("你举报的%(label)s“%(excerpt)s”经审核违反社区公约 %(rule)s，已经处理。感谢你帮助维护社区。") % {
            "label": label,
            "excerpt": excerpt,
            "rule": case.decision_rule,
        }
    else:
        text = _("你举报的%(label)s“%(excerpt)s”经审核没有违反社区公约，内容保留。如果你有新的证据，可以再次举报。") % {
            "label": label,
            "excerpt": excerpt,
        }
    for report in case.reports.select_related("reporter").filter(
        status__in=[ReportStatus.UPHELD, ReportStatus.REJECTED]
    ):
        notice_send(
            user=report.reporter,
            kind="report_outcome",
            text=text,
            link="/accounts/me/#reports",
            key=f"report:{report.pk}:outcome",
            email=True,
        )


def _clean_decision(
    *, action: str, rule_code: str, reason: str, aggravations: Iterable[str]
) -> tuple[str, Rule | None, str, list[str]]:
    errors: dict[str, str] = {}
    if action not in CaseDecision.values:
        errors["action"] = _("处理方式只能是驳回、删除内容、警告或处罚。")
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("请写明处理理由，它会记入操作记录，当事人也会看到。")
    elif len(reason) > DECISION_REASON_MAX:
        errors["reason"] = _("处理理由最多 %(max)s 字。") % {"max": DECISION_REASON_MAX}
    aggravations = sorted(set(aggravations or []))
    unknown = [a for a in aggravations if a not in Aggravation.values]
    if unknown:
        errors["aggravations"] = _("未知的加重情节：%(names)s。") % {"names": "、".join(unknown)}
    rule = None
    if action != CaseDecision.DISMISS:
        rule = (
            Rule.objects.select_related("convention", "category")
            .filter(convention__is_current=True, code=(rule_code or "").strip())
            .first()
        )
        if rule is None:
            errors["rule"] = _("请选择认定违反的公约条款（现行公约中的编号，如 2.6）。")
    if errors:
        raise ValidationError(errors)
    return action, rule, reason, aggravations


@transaction.atomic
def case_decide(
    *,
    actor: AbstractBaseUser,
    case: Case,
    action: str,
    reason: str,
    rule_code: str = "",
    aggravations: Iterable[str] = (),
    step: int | None = None,
    step_reason: str = "",
    remove_content: bool | None = None,
) -> Case:
    """A moderator decides an open case.

    - ``dismiss``: no violation; reports rejected, held or hidden content released.
    - ``remove``: the content is removed (through its adapter); no penalty on the person.
    - ``warn``: a warning (step 0) on the person; the content stays unless ``remove_content``.
    - ``penalize``: the step the policy proposes (or ``step`` with a written
      ``step_reason``) on the person; the content is removed unless ``remove_content`` is False.
    Reporters are told the outcome (without the moderator's name); everything is audited.
    Two moderators deciding at once: the second finds the case decided (StateConflict).
    """
    from moderation.services.penalties import penalty_apply, penalty_proposal

    require_perm(actor, "moderation.moderate_content")
    action, rule, reason, aggravations = _clean_decision(
        action=action, rule_code=rule_code, reason=reason, aggravations=aggravations
    )
    model = case.content_type.model_class()
    adapter = registry.adapter_for(model)
    _lock_target(model, case.object_id)
    case = Case.objects.select_for_update(of=("self",)).select_related("subject", "scan_record").get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise StateConflict(_("这个案件已经处理过了，可能另一位审核员刚刚做了决定。"))
    obj = adapter.get_queryset().filter(pk=case.object_id).first()
    if remove_content is None:
        # Penalising someone for what they posted takes the post down; penalising an account
        # reported as such (the target is the person) leaves their profile as it is.
        target_is_subject = (
            case.subject is not None and model is type(case.subject) and case.object_id == case.subject.pk
        )
        remove_content = action == CaseDecision.PENALIZE and not target_is_subject
    if action == CaseDecision.REMOVE:
        remove_content = True
    penalty: Penalty | None = None
    proposal = None
    if action in (CaseDecision.WARN, CaseDecision.PENALIZE):
        if case.subject is None:
            raise ValidationError({"action": _("这条内容没有对应的账号，只能删除内容或驳回。")})
        proposal = penalty_proposal(case=case, rule=rule, aggravations=aggravations)
        chosen = 0 if action == CaseDecision.WARN else (proposal.step if step is None else step)
        if not 0 <= chosen <= 5:
            raise ValidationError({"step": _("处罚等级只能是 0（警告）到 5（封禁账号）。")})
        step_reason = (step_reason or "").strip()
        if action == CaseDecision.PENALIZE and chosen != proposal.step and not step_reason:
            raise ValidationError({"step_reason": _("你选择的处罚与建议的不同，请写明理由（记入操作记录）。")})
        penalty = penalty_apply(
            actor=actor, user=case.subject, step=chosen, rule=rule, reason=reason, case=case, notify=True
        )
        case.proposed_step = proposal.step
        case.step = chosen
        case.step_reason = step_reason
    record = case.scan_record
    if record is not None and record.status not in UNRESOLVED_STATUSES:
        record = None
    if obj is not None:
        if remove_content:
            adapter.remove(obj, reason=reason)
        else:
            if case.hidden_pending_review:
                adapter.restore(obj)
            if record is not None and record.held:
                adapter.release(obj)
    if record is not None:
        record.status = ScanStatus.REMOVED if remove_content else ScanStatus.DISMISSED
        record.held = False
        record.resolved_by = actor
        record.resolved_as = "moderator"
        record.resolved_at = timezone.now()
        record.resolution_reason = reason
        record.save(update_fields=["held", "status", "resolved_by", "resolved_as", "resolved_at", "resolution_reason"])
    upheld = action != CaseDecision.DISMISS
    now = timezone.now()
    case.reports.filter(status=ReportStatus.OPEN).update(
        status=ReportStatus.UPHELD if upheld else ReportStatus.REJECTED, decided_at=now
    )
    case.status = CaseStatus.DECIDED
    case.decision = action
    case.decided_by = actor
    case.decided_at = now
    case.decision_rule = rule.code if rule is not None else ""
    case.decision_reason = reason
    case.aggravations = aggravations
    case.hidden_pending_review = case.hidden_pending_review and remove_content
    case.content_removed = bool(remove_content) and obj is not None
    case.save()
    audit_record(
        actor=actor,
        action=f"case.{action}",
        target=obj if obj is not None else case,
        data={
            "case": case.pk,
            "rule": case.decision_rule,
            "version": rule.convention.version if rule is not None else case.convention_version,
            "reason": reason,
            "removed": bool(remove_content),
            "aggravations": aggravations,
            "proposed_step": proposal.step if proposal is not None else None,
            "step": penalty.step if penalty is not None else None,
            "step_reason": case.step_reason,
            "penalty": penalty.pk if penalty is not None else None,
        },
    )
    if upheld and obj is not None and remove_content and case.subject is not None and penalty is None:
        from accounts.services import notice_send

        notice_send(
            user=case.subject,
            kind="content_removed",
            text=_("你发布的%(label)s因违反社区公约 %(rule)s 已被删除。理由：%(reason)s")
            % {
                "label": case.evidence.get("label") or _("内容"),
                "rule": case.decision_rule,
                "reason": reason,
            },
            link="/accounts/me/#notices",
            key=f"case:{case.pk}:removed",
            email=True,
        )
    _notify_reporters(case=case, upheld=upheld)
    return case
