"""Lexicon terms: add, edit, disable, enable, seed."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cms.errors import StateConflict
from moderation.models import (
    LexiconState,
    Term,
    TermAction,
)
from moderation.scanner import TermSpec, build_lexicon
from moderation.selectors import convention_current
from moderation.services.audit import audit_record, require_perm

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
    require_perm(actor, "moderation.add_term")
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
    require_perm(actor, "moderation.change_term")
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
    require_perm(actor, "moderation.change_term")
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
