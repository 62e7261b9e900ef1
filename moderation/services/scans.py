"""Scanning registered objects, and people resolving the scans."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms.errors import StateConflict
from moderation.lexicon import lexicon_snapshot
from moderation.models import (
    UNRESOLVED_STATUSES,
    Finding,
    ResolverRole,
    ScanRecord,
    ScanStatus,
    TermAction,
    Verdict,
)
from moderation.registry import registry
from moderation.scanner import hamming_distance, scan, simhash
from moderation.selectors import convention_current
from moderation.services.audit import audit_record, require_perm
from moderation.services.cases import case_attach_scan
from moderation.text_model import model_snapshot

# Scanning registered objects

# Near-duplicates (rules 3.2/3.3): a body this long or longer gets a SimHash, and is
# compared with the newest records of the last days. 64-bit SimHashes of texts that
# differ only by a few words or punctuation stay within 3 bits; unrelated texts of this
# length rarely come closer than 10.
NEAR_DUPLICATE_MIN_CHARS = 40
NEAR_DUPLICATE_MAX_DISTANCE = 3
NEAR_DUPLICATE_WINDOW = timedelta(days=7)
# Bounded so the check costs the same on a site with a million posts: one indexed query
# and at most this many popcounts.
NEAR_DUPLICATE_MAX_RECORDS = 2000
# The same account posting the same text this many times (other objects) is 3.2.
NEAR_DUPLICATE_SAME_OWNER_COPIES = 2

_VERDICT_ORDER = {Verdict.ALLOW: 0, Verdict.REVIEW: 1, Verdict.BLOCK: 2}


def content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\x00{text}".encode("utf-8", "surrogatepass")).hexdigest()


def scan_request(*, obj: models.Model) -> None:
    """Scan ``obj`` in a worker once the current transaction commits.

    Call it from every service that creates or changes moderated text. ``obj`` must be an
    instance of a registered model (moderation.registry), already saved.
    """
    from moderation.tasks import scan_object
    from reliability.outbox import outbox_enqueue

    registry.adapter_for(obj)  # fail now, in the caller, if the model was never registered
    content_type = ContentType.objects.get_for_model(obj)
    # Through the outbox: stored with the write, so a broker that is down loses no scan.
    outbox_enqueue(scan_object, content_type.pk, obj.pk)


def scan_request_targets(*, targets: Iterable[tuple[int, int]]) -> int:
    """Scan objects given as (content type id, object id) once the transaction commits —
    e.g. the recent items a confirmed lexicon change alters. Returns how many were queued."""
    from moderation.tasks import scan_object
    from reliability.outbox import outbox_enqueue

    queued = 0
    for content_type_id, object_id in targets:
        outbox_enqueue(scan_object, int(content_type_id), int(object_id))
        queued += 1
    return queued


def _near_duplicate_findings(
    *, content_type: ContentType, object_id: int, owner_id: int | None, simhash_hex: str, text: str
) -> list[dict]:
    # Only posts of known accounts are compared: text without an account (an e-mail
    # submission, the draft an editor makes of it) proves nothing about who posts what.
    if not simhash_hex or owner_id is None:
        return []
    value = int(simhash_hex, 16)
    candidates = (
        ScanRecord.objects.filter(
            is_latest=True, owner__isnull=False, created_at__gte=timezone.now() - NEAR_DUPLICATE_WINDOW
        )
        .exclude(simhash="")
        .exclude(content_type=content_type, object_id=object_id)
        .order_by("-created_at")
        .values_list("id", "simhash", "owner_id")[:NEAR_DUPLICATE_MAX_RECORDS]
    )
    other_owners: set[int] = set()
    similar_other: list[int] = []
    similar_own: list[int] = []
    best = 64
    for record_id, other_hex, other_owner in candidates:
        distance = hamming_distance(value, int(other_hex, 16))
        if distance > NEAR_DUPLICATE_MAX_DISTANCE:
            continue
        best = min(best, distance)
        if other_owner == owner_id:
            similar_own.append(record_id)
        else:
            other_owners.add(other_owner)
            similar_other.append(record_id)
    findings = []
    base = {
        "category": 3,
        "detector": "near_duplicate",
        "field": "body",
        "start": 0,
        "end": len(text),
        "match": text,
        "score": round(1 - best / 64, 3),
        "action": TermAction.REVIEW,
    }
    if similar_other:
        findings.append(
            {**base, "rule": "3.3", "detail": {"similar_records": similar_other[:20], "accounts": len(other_owners)}}
        )
    if len(similar_own) >= NEAR_DUPLICATE_SAME_OWNER_COPIES:
        findings.append({**base, "rule": "3.2", "detail": {"similar_records": similar_own[:20]}})
    return findings


def rule_names(codes: Iterable[str]) -> list[str]:
    """Rule codes as people read them: "3.4 欺骗性外链" (the title in the convention in force;
    a code the convention no longer has stays a bare code)."""
    from moderation.models import Rule

    codes = sorted({code for code in codes if code})
    if not codes:
        return []
    titles = dict(Rule.objects.filter(convention__is_current=True, code__in=codes).values_list("code", "title"))
    return [f"{code} {titles[code]}" if titles.get(code) else code for code in codes]


def _hold_rules(findings: list[dict]) -> list[str]:
    # The rules of the blocking findings; when the policy blocked on several lesser ones, all of them.
    return rule_names({f["rule"] for f in findings if f["action"] == TermAction.BLOCK}) or rule_names(
        {f["rule"] for f in findings}
    )


def _hold_reason(findings: list[dict]) -> str:
    # Stored with the object and shown as it is, so it is written once in the site's own
    # language, whoever's request (or which worker) triggered the scan.
    with translation.override(settings.LANGUAGE_CODE):
        return _("自动扫描拦截：命中社区公约 %(rules)s，等待编辑或审核员处理。") % {
            "rules": _("、").join(_hold_rules(findings))
        }


def scan_holds(*, verdict: str, actions: Iterable[str], live: bool) -> bool:
    """Whether a scan result holds its object (before any person has decided on it).

    A ``block`` verdict holds, with one exception: content that is already public (a
    published article, a shown comment) is taken offline only by a finding whose own
    action is ``block``. A ``block`` the policy reached by adding up ``review`` findings
    (three hits of a 人工复核 term, say) is still a judgement call: the item goes to the
    moderators' queue and stays online meanwhile. The lexicon dry run asks the same.
    """
    if verdict != Verdict.BLOCK:
        return False
    return not live or any(action == TermAction.BLOCK for action in actions)


def _open_case_hides(*, content_type: ContentType, object_id: int) -> bool:
    from moderation.models import Case, CaseStatus

    return Case.objects.filter(
        content_type=content_type, object_id=object_id, status=CaseStatus.OPEN, hidden_pending_review=True
    ).exists()


def _tell_owner(*, adapter, obj: models.Model, owner, event: str, record: ScanRecord, findings: list[dict]) -> None:
    """A notice (and an e-mail) to the person whose content a scan held or let go again."""
    from accounts.services import notice_send

    if owner is None or not getattr(owner, "is_active", False):
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = adapter.owner_notice_text(obj, event=event, rules=_("、").join(_hold_rules(findings)))
    if not text:
        return
    notice_send(
        user=owner,
        kind=adapter.owner_hold_notice_kind if event == "hold" else "content_released",
        text=text,
        link=adapter.get_owner_url(obj),
        key=f"scan:{record.pk}:{event}:{record.lexicon_version}",
        email=event == "hold",
    )


@transaction.atomic
def scan_perform(*, obj: models.Model) -> ScanRecord:
    """Scan the stored content of ``obj`` now and record the result (the worker's job).

    One record per (object, content hash): scanning unchanged content again refreshes that
    record and replaces its findings; a decision a person already took on it (dismissed,
    escalated, removed) stands. A ``block`` verdict holds the object through its adapter
    until a person resolves it; a later scan that no longer blocks releases the hold.
    """
    adapter = registry.adapter_for(obj)
    model = adapter.model
    # Lock the object's row: two scans of one object run one after the other.
    list(model._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True))
    obj = adapter.get_queryset().get(pk=obj.pk)
    content_type = ContentType.objects.get_for_model(model)
    title = adapter.get_title(obj) or ""
    text = adapter.get_text(obj) or ""
    owner = adapter.get_owner(obj)
    owner_id = owner.pk if owner is not None else None
    snapshot = lexicon_snapshot()
    text_model = model_snapshot()
    result = scan(title, text, lexicon=snapshot.lexicon, **text_model.scan_options())
    convention = convention_current()
    convention_version = convention.version if convention is not None else ""

    findings = [
        {
            "rule": f.rule,
            "category": f.category,
            "detector": f.detector,
            "field": f.field,
            "start": f.start,
            "end": f.end,
            "match": f.match,
            "score": f.score,
            "action": f.action,
            "detail": {},
        }
        for f in result.findings
    ]
    simhash_hex = f"{simhash(text):016x}" if len(text.strip()) >= NEAR_DUPLICATE_MIN_CHARS else ""
    findings += _near_duplicate_findings(
        content_type=content_type, object_id=obj.pk, owner_id=owner_id, simhash_hex=simhash_hex, text=text
    )
    verdict = result.verdict
    if any(f["detector"] == "near_duplicate" for f in findings) and verdict == Verdict.ALLOW:
        verdict = Verdict.REVIEW

    digest = content_hash(title, text)
    records = ScanRecord.objects.select_for_update().filter(content_type=content_type, object_id=obj.pk)
    was_held = records.filter(held=True).exists()
    record = records.filter(content_hash=digest).first()
    # An escalation is a promise that a moderator decides: editing the text (a new content
    # hash) must not turn it back into an open item that an editor could dismiss.
    was_escalated = records.exclude(content_hash=digest).filter(is_latest=True, status=ScanStatus.ESCALATED).exists()
    records.exclude(content_hash=digest).filter(Q(is_latest=True) | Q(held=True)).update(is_latest=False, held=False)
    if verdict == Verdict.ALLOW:
        fresh_status = ScanStatus.CLEAR
    else:
        fresh_status = ScanStatus.ESCALATED if was_escalated else ScanStatus.OPEN
    if record is None:
        record = ScanRecord(content_type=content_type, object_id=obj.pk, content_hash=digest, status=fresh_status)
    elif record.status in (ScanStatus.CLEAR, ScanStatus.OPEN):
        record.status = fresh_status
    record.verdict = verdict
    record.is_latest = True
    record.lexicon_version = snapshot.version
    record.model_version = text_model.number
    record.convention_version = convention_version
    record.simhash = simhash_hex
    record.owner_id = owner_id
    live = adapter.is_live(obj, first_scan=not records.exists())
    if record.status == ScanStatus.ESCALATED and record.held:
        # Sent to the moderators (by an editor or a moderator): it stays held, whatever a
        # lexicon change does to this same text's findings, until a moderator decides.
        needs_hold = True
    else:
        needs_hold = record.status in UNRESOLVED_STATUSES and scan_holds(
            verdict=verdict, actions=[f["action"] for f in findings], live=live
        )
    record.held = needs_hold
    record.save()
    record.findings.all().delete()
    Finding.objects.bulk_create(
        Finding(
            record=record,
            rule_code=f["rule"],
            category=f["category"],
            convention_version=convention_version,
            detector=f["detector"],
            field=f["field"],
            start=f["start"],
            end=f["end"],
            match=f["match"],
            score=f["score"],
            action=f["action"],
            detail=f["detail"],
        )
        for f in findings
    )
    if needs_hold and not was_held:
        reason = _hold_reason(findings)
        adapter.hold(obj, reason=reason)
        audit_record(actor=None, action="scan.hold", target=obj, data={"record": record.pk, "reason": reason})
        _tell_owner(adapter=adapter, obj=obj, owner=owner, event="hold", record=record, findings=findings)
    elif was_held and not needs_hold:
        # What a case hid (trusted reporters) stays hidden until a moderator decides it;
        # only the scan's own hold ends here.
        still_hidden = _open_case_hides(content_type=content_type, object_id=obj.pk)
        if not still_hidden:
            adapter.release(obj)
        audit_record(
            actor=None,
            action="scan.release",
            target=obj,
            data={
                "record": record.pk,
                "verdict": verdict,
                "lexicon": snapshot.version,
                "still_hidden_by_case": still_hidden,
            },
        )
        if not still_hidden:
            _tell_owner(adapter=adapter, obj=obj, owner=owner, event="release", record=record, findings=[])
    # What needs a person joins the target's case in the moderation queue; what no longer
    # does leaves it (closing a case only this scan had opened).
    case_attach_scan(record=record, obj=obj)
    return record


ScanOutcome = Literal["dismiss", "escalate", "remove"]
SCAN_OUTCOMES: tuple[str, ...] = ("dismiss", "escalate", "remove")


def scan_resolve_check(*, actor: AbstractBaseUser | None, obj: models.Model, record: ScanRecord, outcome: str) -> str:
    """Whether ``actor`` may resolve ``record`` (the latest scan of ``obj``) with ``outcome``;
    return the capacity they act in (a ResolverRole), or raise PermissionDenied saying why.

    Who may resolve what:
    - moderators (``moderation.moderate_content``): every outcome on every kind of content;
    - the app's own reviewer (for articles: the editor who has it in review, see the
      adapter's ``reviewer_may_dismiss``/``reviewer_may_escalate``): dismiss once per object
      and escalate, never an item already escalated to the moderators, never remove;
    - nobody else.
    Comments and every other kind have no reviewer: only moderators resolve them.
    """
    if outcome not in SCAN_OUTCOMES:
        raise ValidationError({"outcome": _("处理方式只能是放行、转交治理或删除。")})
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    if actor.has_perm("moderation.moderate_content"):
        return ResolverRole.MODERATOR
    adapter = registry.adapter_for(obj)
    if outcome == "remove":
        raise PermissionDenied(_("只有审核员可以删除内容。"))
    if record.status == ScanStatus.ESCALATED:
        raise PermissionDenied(_("这条内容已经转交社区治理，只有审核员可以处理。"))
    if outcome == "escalate":
        if adapter.reviewer_may_escalate(obj, actor):
            return ResolverRole.EDITOR
        raise PermissionDenied(_("只有审核员可以处理这类内容的扫描结果。"))
    if not adapter.reviewer_may_dismiss(obj, actor):
        if adapter.reviewer_may_escalate(obj, actor):
            raise PermissionDenied(
                _("只有正在审阅这篇内容的编辑（已认领、审稿中）可以放行扫描结果；如有疑问，请转交社区治理。")
            )
        raise PermissionDenied(_("只有审核员可以处理这类内容的扫描结果。"))
    dismissed_before = ScanRecord.objects.filter(
        content_type_id=record.content_type_id,
        object_id=record.object_id,
        status=ScanStatus.DISMISSED,
        resolved_as=ResolverRole.EDITOR,
    ).exclude(pk=record.pk)
    if dismissed_before.exists():
        raise PermissionDenied(_("编辑已经放行过这篇内容一次；再次被拦截时需由审核员决定，请转交社区治理。"))
    return ResolverRole.EDITOR


@dataclass(frozen=True)
class ResolveOptions:
    """What a person may do with the latest scan of an object: the outcomes the service
    will accept, and for the others the sentence saying why not."""

    allowed: tuple[str, ...] = ()
    refused: dict[str, str] = field(default_factory=dict)


def scan_resolve_outcomes(
    *, actor: AbstractBaseUser | None, obj: models.Model, record: ScanRecord | None
) -> ResolveOptions:
    """The outcomes ``actor`` may choose for ``record`` (see ``scan_resolve_check``), so
    screens offer exactly what the service accepts and say why the rest is not offered."""
    if record is None or record.status not in UNRESOLVED_STATUSES:
        return ResolveOptions()
    allowed: list[str] = []
    refused: dict[str, str] = {}
    for outcome in SCAN_OUTCOMES:
        if outcome == "escalate" and record.status == ScanStatus.ESCALATED:
            continue
        try:
            scan_resolve_check(actor=actor, obj=obj, record=record, outcome=outcome)
        except PermissionDenied as exc:
            refused[outcome] = str(exc)
        else:
            allowed.append(outcome)
    return ResolveOptions(allowed=tuple(allowed), refused=refused)


@transaction.atomic
def scan_resolve(*, actor: AbstractBaseUser, obj: models.Model, outcome: ScanOutcome, reason: str) -> ScanRecord:
    """A person handles the latest scan of ``obj``.

    - ``dismiss``: the findings are wrong or harmless; the hold (if any) is released.
    - ``escalate``: send it to the moderators' queue; the hold stays (also across later
      rescans, until a moderator decides).
    - ``remove``: a moderator removes the object through its adapter.

    Who may do which is ``scan_resolve_check``; a reason is always required and goes into
    the audit log with the capacity the person acted in.
    """
    if outcome not in SCAN_OUTCOMES:
        raise ValidationError({"outcome": _("处理方式只能是放行、转交治理或删除。")})
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明处理理由，它会记入操作记录。")})
    if len(reason) > 1000:
        raise ValidationError({"reason": _("处理理由最长 1000 字。")})
    adapter = registry.adapter_for(obj)
    model = adapter.model
    # The object's row first, then its scans — the order scan_perform locks in, so a scan
    # finishing at the same moment waits for this decision (or this one for the scan).
    list(model._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True))
    obj = adapter.get_queryset().get(pk=obj.pk)
    content_type = ContentType.objects.get_for_model(model)
    record = (
        ScanRecord.objects.select_for_update()
        .filter(content_type=content_type, object_id=obj.pk, is_latest=True)
        .first()
    )
    if record is None or record.status not in UNRESOLVED_STATUSES:
        # Checked before the permission, so a person who may not act still learns it is done.
        require_perm(actor, "articles.review_article", "moderation.moderate_content")
        raise StateConflict(_("这条内容没有待处理的扫描结果，可能已经有人处理过了。"))
    if outcome == "escalate" and record.status == ScanStatus.ESCALATED:
        raise StateConflict(_("这条内容已经转交社区治理，等待审核员处理。"))
    role = scan_resolve_check(actor=actor, obj=obj, record=record, outcome=outcome)
    if outcome == "dismiss":
        if record.held:
            adapter.release(obj)
        record.held = False
        record.status = ScanStatus.DISMISSED
    elif outcome == "escalate":
        record.status = ScanStatus.ESCALATED
    else:
        adapter.remove(obj, reason=reason)
        record.held = False
        record.status = ScanStatus.REMOVED
    record.resolved_by = actor
    record.resolved_as = role
    record.resolved_at = timezone.now()
    record.resolution_reason = reason
    record.save(
        update_fields=["held", "status", "resolved_by", "resolved_as", "resolved_at", "resolution_reason", "scanned_at"]
    )
    audit_record(
        actor=actor,
        action=f"scan.{outcome}",
        target=obj,
        data={"record": record.pk, "verdict": record.verdict, "reason": reason, "as": role},
    )
    case_attach_scan(record=record, obj=obj)
    return record
