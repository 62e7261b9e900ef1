"""Writes for the moderation app. Each is a keyword-only function named <entity>_<action>."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
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
    AuditEntry,
    ConventionVersion,
    Finding,
    LexiconState,
    ResolverRole,
    Rule,
    RuleCategory,
    ScanRecord,
    ScanStatus,
    Severity,
    Term,
    TermAction,
    Verdict,
)
from moderation.registry import registry
from moderation.scanner import TermSpec, build_lexicon, hamming_distance, scan, simhash
from moderation.selectors import convention_current


@transaction.atomic
def convention_load(*, data: dict, make_current: bool = True) -> ConventionVersion:
    """Create or update the convention version described by `data` (seeds/convention.json).

    Idempotent: loading the same data twice changes nothing the second time. Rules
    present in the database but absent from `data` are kept (an old finding may name them).
    """
    try:
        version_code = data["version"]
        categories = data["categories"]
    except (KeyError, TypeError) as exc:
        raise ValidationError(f"公约数据缺少字段：{exc}") from exc
    valid_severities = set(Severity.values)

    version, _ = ConventionVersion.objects.update_or_create(
        version=version_code, defaults={"title": data.get("title", "社区公约"), "summary": data.get("summary", "")}
    )
    for category_data in categories:
        category, _ = RuleCategory.objects.update_or_create(
            convention=version, number=category_data["number"], defaults={"name": category_data["name"]}
        )
        for position, rule_data in enumerate(category_data["rules"]):
            if rule_data["severity"] not in valid_severities:
                raise ValidationError(f"条款 {rule_data['code']} 的严重程度无效：{rule_data['severity']}")
            if not rule_data["code"].startswith(f"{category.number}."):
                raise ValidationError(f"条款 {rule_data['code']} 不属于第 {category.number} 类")
            Rule.objects.update_or_create(
                convention=version,
                code=rule_data["code"],
                defaults={
                    "category": category,
                    "title": rule_data["title"],
                    "text": rule_data["text"],
                    "severity": rule_data["severity"],
                    "position": position,
                },
            )
    if make_current and not version.is_current:
        ConventionVersion.objects.filter(is_current=True).update(is_current=False)
        version.is_current = True
        version.save(update_fields=["is_current"])
    return version


# ---------------------------------------------------------------------------
# Audit log


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    target: models.Model | None = None,
    data: dict | None = None,
) -> AuditEntry:
    """Append one entry to the audit log. Any app may call it.

    ``action`` is a dotted name, ``<entity>.<verb>`` (``term.create``, ``scan.dismiss``,
    ``article.publish``); ``actor`` None means the system did it; ``data`` must be
    JSON-serialisable (ids, codes, reasons — not model instances).
    """
    entry = AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        data=data or {},
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = str(target.pk)
        entry.target_repr = str(target)[:200]
    entry.save()
    return entry


def _require_perm(actor: AbstractBaseUser | None, *perms: str) -> None:
    """Raise PermissionDenied unless ``actor`` holds at least one of ``perms``."""
    if actor is None or not any(actor.has_perm(perm) for perm in perms):
        raise PermissionDenied(_("你没有执行这个操作的权限。"))


# ---------------------------------------------------------------------------
# Lexicon terms

TERM_MAX_CONTEXTS = 100


@dataclass(frozen=True)
class TermData:
    """The editable fields of a term, as a form or a seed file gives them."""

    term: str
    rule_code: str
    action: str = TermAction.REVIEW
    whole_word: bool = False
    contexts: tuple[str, ...] = ()
    note: str = ""

    @classmethod
    def of(cls, term: Term) -> TermData:
        return cls(
            term=term.term,
            rule_code=term.rule_code,
            action=term.action,
            whole_word=term.whole_word,
            contexts=tuple(term.contexts or ()),
            note=term.note,
        )

    def spec(self) -> TermSpec:
        return TermSpec(
            term=self.term, rule=self.rule_code, action=self.action, whole_word=self.whole_word, contexts=self.contexts
        )


def term_clean(*, data: TermData) -> TermData:
    """Validate and tidy a term's fields; raise ValidationError with Chinese messages.

    Checks that the rule exists in the convention in force and that the scanner can
    match the term at all (a term of only punctuation normalises to nothing).
    """
    errors: dict[str, str] = {}
    text = (data.term or "").strip()
    if not text:
        errors["term"] = _("词条不能为空。")
    elif len(text) > Term._meta.get_field("term").max_length:
        errors["term"] = _("词条最长 50 个字。")
    rule_code = (data.rule_code or "").strip()
    convention = convention_current()
    if convention is None:
        errors["rule_code"] = _("社区公约尚未载入，无法添加词条。请先运行 python manage.py seed_demo --no-demo。")
    elif not convention.rules.filter(code=rule_code).exists():
        errors["rule_code"] = _("现行公约（%(version)s）中没有条款 %(rule)s。") % {
            "version": convention.version,
            "rule": rule_code or _("（空）"),
        }
    if data.action not in TermAction.values:
        errors["action"] = _("处理方式只能是拦截、人工复核或仅标记。")
    contexts = tuple(dict.fromkeys(c.strip() for c in data.contexts if c and c.strip()))
    if len(contexts) > TERM_MAX_CONTEXTS:
        errors["contexts"] = _("放行语境最多 %(max)s 个。") % {"max": TERM_MAX_CONTEXTS}
    elif any(len(c) > 50 for c in contexts):
        errors["contexts"] = _("每个放行语境最长 50 个字。")
    if len(data.note or "") > 200:
        errors["note"] = _("备注最长 200 个字。")
    cleaned = replace(data, term=text, rule_code=rule_code, contexts=contexts, note=(data.note or "").strip())
    if "term" not in errors:
        try:
            build_lexicon([cleaned.spec()])
        except ValueError as exc:
            errors["term"] = _("扫描器无法使用这个词条：%(problem)s") % {"problem": exc}
    if errors:
        raise ValidationError(errors)
    return cleaned


def _lexicon_bump() -> int:
    """Move the lexicon version on (inside the caller's transaction); workers rebuild on it."""
    state, _ = LexiconState.objects.select_for_update().get_or_create(pk=1)
    state.version += 1
    state.stamp = uuid.uuid4().hex
    state.save(update_fields=["version", "stamp", "changed_at"])
    return state.version


def _term_duplicate_check(*, data: TermData, exclude_pk: int | None = None) -> None:
    duplicates = Term.objects.filter(term=data.term, rule_code=data.rule_code)
    if exclude_pk is not None:
        duplicates = duplicates.exclude(pk=exclude_pk)
    if duplicates.exists():
        raise ValidationError(
            {"term": _("词条“%(term)s”已经登记在条款 %(rule)s 下。") % {"term": data.term, "rule": data.rule_code}}
        )


def _term_audit_data(term: Term) -> dict:
    return {
        "term": term.term,
        "rule": term.rule_code,
        "action": term.action,
        "whole_word": term.whole_word,
        "contexts": list(term.contexts),
        "enabled": term.enabled,
    }


@transaction.atomic
def term_create(*, actor: AbstractBaseUser, data: TermData) -> Term:
    _require_perm(actor, "moderation.add_term")
    data = term_clean(data=data)
    _term_duplicate_check(data=data)
    term = Term.objects.create(
        term=data.term,
        rule_code=data.rule_code,
        action=data.action,
        whole_word=data.whole_word,
        contexts=list(data.contexts),
        note=data.note,
        created_by=actor,
        updated_by=actor,
    )
    version = _lexicon_bump()
    audit_record(actor=actor, action="term.create", target=term, data={**_term_audit_data(term), "lexicon": version})
    return term


@transaction.atomic
def term_update(*, actor: AbstractBaseUser, term: Term, data: TermData) -> Term:
    _require_perm(actor, "moderation.change_term")
    data = term_clean(data=data)
    term = Term.objects.select_for_update().get(pk=term.pk)
    before = _term_audit_data(term)
    if TermData.of(term) == data:
        return term
    _term_duplicate_check(data=data, exclude_pk=term.pk)
    term.term = data.term
    term.rule_code = data.rule_code
    term.action = data.action
    term.whole_word = data.whole_word
    term.contexts = list(data.contexts)
    term.note = data.note
    term.updated_by = actor
    term.save(
        update_fields=["term", "rule_code", "action", "whole_word", "contexts", "note", "updated_by", "updated_at"]
    )
    version = _lexicon_bump()
    audit_record(
        actor=actor,
        action="term.update",
        target=term,
        data={"before": before, "after": _term_audit_data(term), "lexicon": version},
    )
    return term


def _term_set_enabled(*, actor: AbstractBaseUser, term: Term, enabled: bool, reason: str) -> Term:
    _require_perm(actor, "moderation.change_term")
    term = Term.objects.select_for_update().get(pk=term.pk)
    if term.enabled == enabled:
        message = _("词条“%(term)s”已经是启用状态。") if enabled else _("词条“%(term)s”已经是停用状态。")
        raise StateConflict(message % {"term": term.term})
    term.enabled = enabled
    term.updated_by = actor
    term.save(update_fields=["enabled", "updated_by", "updated_at"])
    version = _lexicon_bump()
    audit_record(
        actor=actor,
        action="term.enable" if enabled else "term.disable",
        target=term,
        data={**_term_audit_data(term), "reason": reason, "lexicon": version},
    )
    return term


@transaction.atomic
def term_disable(*, actor: AbstractBaseUser, term: Term, reason: str = "") -> Term:
    """Stop matching a term (kept, so old findings still make sense and it can come back)."""
    return _term_set_enabled(actor=actor, term=term, enabled=False, reason=reason.strip())


@transaction.atomic
def term_enable(*, actor: AbstractBaseUser, term: Term, reason: str = "") -> Term:
    return _term_set_enabled(actor=actor, term=term, enabled=True, reason=reason.strip())


@transaction.atomic
def term_seed_load(*, specs: Iterable[TermSpec]) -> int:
    """Add the seed lexicon's terms that are not in the table yet; return how many were added.

    Idempotent, and it never overwrites a term that exists: moderators may have edited or
    disabled it since. Terms whose rule is not in the convention in force are refused.
    """
    convention = convention_current()
    if convention is None:
        raise ValidationError("社区公约尚未载入，无法载入词库。")
    known_rules = set(convention.rules.values_list("code", flat=True))
    existing = set(Term.objects.values_list("term", "rule_code"))
    new_terms: list[Term] = []
    for spec in specs:
        if spec.rule not in known_rules:
            raise ValidationError(f"种子词条“{spec.term}”的条款 {spec.rule} 不在现行公约中。")
        key = (spec.term, spec.rule)
        if key in existing:
            continue
        existing.add(key)
        new_terms.append(
            Term(
                term=spec.term,
                rule_code=spec.rule,
                action=spec.action,
                whole_word=spec.whole_word,
                contexts=list(spec.contexts),
                note="种子词库",
            )
        )
    if new_terms:
        Term.objects.bulk_create(new_terms, batch_size=500)
        version = _lexicon_bump()
        audit_record(actor=None, action="term.seed", data={"added": len(new_terms), "lexicon": version})
    return len(new_terms)


# ---------------------------------------------------------------------------
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

    registry.adapter_for(obj)  # fail now, in the caller, if the model was never registered
    content_type = ContentType.objects.get_for_model(obj)
    scan_object.delay_on_commit(content_type.pk, obj.pk)


def scan_request_targets(*, targets: Iterable[tuple[int, int]]) -> int:
    """Scan objects given as (content type id, object id) once the transaction commits —
    e.g. the recent items a confirmed lexicon change alters. Returns how many were queued."""
    from moderation.tasks import scan_object

    queued = 0
    for content_type_id, object_id in targets:
        scan_object.delay_on_commit(int(content_type_id), int(object_id))
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


def _hold_reason(findings: list[dict]) -> str:
    # The rules of the blocking findings; when the policy blocked on several lesser ones, all of them.
    rules = sorted({f["rule"] for f in findings if f["action"] == TermAction.BLOCK}) or sorted(
        {f["rule"] for f in findings}
    )
    # Stored with the object and shown as it is, so it is written once in the site's own
    # language, whoever's request (or which worker) triggered the scan.
    with translation.override(settings.LANGUAGE_CODE):
        return _("自动扫描拦截：命中社区公约 %(rules)s，等待编辑或审核员处理。") % {"rules": _("、").join(rules)}


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
    result = scan(title, text, lexicon=snapshot.lexicon)
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
    record.convention_version = convention_version
    record.simhash = simhash_hex
    record.owner_id = owner_id
    needs_hold = verdict == Verdict.BLOCK and record.status in UNRESOLVED_STATUSES
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
    elif was_held and not needs_hold:
        adapter.release(obj)
        audit_record(actor=None, action="scan.release", target=obj, data={"record": record.pk, "verdict": verdict})
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
        _require_perm(actor, "articles.review_article", "moderation.moderate_content")
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
    return record
