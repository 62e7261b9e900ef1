"""Penalties: proposing a step (the policy), applying it, lifting it, and expiring mutes.

Whether a user is muted is decided from ``expires_at`` at the moment of the check
(accounts.selectors.user_muted_until); ``penalties_expire`` only marks ended rows and tells
their users, once, however many workers run it and however late.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.errors import StateConflict
from moderation.models import Aggravation, Case, Penalty, PenaltyStatus, PenaltyStep, Rule
from moderation.policies import PolicyConfig, Proposal, propose_step
from moderation.services.audit import audit_record, require_perm

LIFT_REASON_MAX = 1000


def policy_config() -> PolicyConfig:
    values = settings.MODERATION_POLICY
    return PolicyConfig(
        severity_base=values["severity_base"],
        aggravation_weight=values["aggravation_weight"],
        max_step=values["max_step"],
        severity_weight=values["severity_weight"],
        scan_weight=values["scan_weight"],
    )


def prior_violations(*, user: AbstractBaseUser, exclude_case: Case | None = None, now: datetime | None = None) -> int:
    """Confirmed violations in the history window that still count (not lifted or overturned)."""
    since = (now or timezone.now()) - timedelta(days=settings.MODERATION_HISTORY_DAYS)
    penalties = Penalty.objects.filter(user=user, counts=True, starts_at__gte=since)
    if exclude_case is not None:
        penalties = penalties.exclude(case=exclude_case)
    return penalties.count()


@dataclass(frozen=True)
class ProposalView:
    """The policy's proposal for a case, with the reasons a moderator reads on the page."""

    proposal: Proposal
    severity: str
    suggested_aggravations: dict[str, str]  # aggravation → the evidence that suggests it
    reasons: list[str]

    @property
    def step(self) -> int:
        return self.proposal.step

    @property
    def step_label(self) -> str:
        return str(PenaltyStep(self.proposal.step).label)


def aggravations_suggested(*, case: Case, rule_code: str) -> dict[str, str]:
    """Aggravations the evidence itself suggests: rules that concern minors, and linked
    accounts (shared sign-in IP or browser) with penalties of their own."""
    from accounts.selectors import accounts_sharing_signals

    suggested: dict[str, str] = {}
    if rule_code in settings.MODERATION_MINORS_RULES:
        suggested[Aggravation.MINORS] = _("条款 %(rule)s 涉及未成年人。") % {"rule": rule_code}
    if case.subject is not None:
        linked = accounts_sharing_signals(case.subject)
        penalised = list(linked.filter(penalties__counts=True).distinct().values_list("username", flat=True)[:5])
        if penalised:
            suggested[Aggravation.MULTI_ACCOUNT] = _("与当事人共用登录地址或浏览器的账号有违规记录：%(names)s。") % {
                "names": "、".join(penalised)
            }
    return suggested


def penalty_proposal(
    *, case: Case, rule: Rule | None = None, aggravations: Iterable[str] | None = None
) -> ProposalView:
    """What the policy proposes for ``case``: the rule's severity, the subject's history and
    the aggravations (the suggested ones unless the moderator gives their own)."""
    if rule is None:
        rule = Rule.objects.filter(convention__is_current=True, code=case.rule_code).first()
    severity = rule.severity if rule is not None else (case.severity or "low")
    rule_code = rule.code if rule is not None else case.rule_code
    suggested = aggravations_suggested(case=case, rule_code=rule_code)
    chosen = list(suggested) if aggravations is None else list(aggravations)
    history = prior_violations(user=case.subject, exclude_case=case) if case.subject is not None else 0
    proposal = propose_step(severity=severity, prior_violations=history, aggravations=chosen, config=policy_config())
    labels = dict(Aggravation.choices)
    reasons = [
        _("条款 %(rule)s 的严重程度为“%(severity)s”，基础等级 %(base)s。")
        % {"rule": rule_code or "—", "severity": _severity_label(severity), "base": proposal.base},
        _("当事人近 %(days)s 天内有 %(n)s 次确认的违规，加 %(n)s 级。")
        % {"days": settings.MODERATION_HISTORY_DAYS, "n": history},
    ]
    for name in proposal.aggravations:
        evidence = suggested.get(name, _("审核员认定。"))
        reasons.append(
            _("加重情节“%(name)s”，加 1 级：%(evidence)s") % {"name": labels.get(name, name), "evidence": evidence}
        )
    if proposal.capped:
        reasons.append(_("最高为封禁账号。"))
    return ProposalView(proposal=proposal, severity=severity, suggested_aggravations=suggested, reasons=reasons)


def _severity_label(severity: str) -> str:
    from moderation.models import Severity

    return str(Severity(severity).label) if severity in Severity.values else severity


def penalty_describe(penalty: Penalty) -> str:
    """One sentence for the user: what, until when (Beijing time), and how to appeal."""
    values = {
        "step": penalty.get_step_display(),
        "rule": penalty.rule_code,
        "reason": penalty.reason,
        "until": timezone.localtime(penalty.expires_at).strftime("%Y-%m-%d %H:%M") if penalty.expires_at else "",
    }
    if penalty.step == PenaltyStep.WARNING:
        text = _("你因违反社区公约 %(rule)s 收到一次警告。理由：%(reason)s")
    elif penalty.step == PenaltyStep.BAN:
        text = _("你的账号因违反社区公约 %(rule)s 被封禁。理由：%(reason)s")
    elif penalty.expires_at is None:
        text = _("你因违反社区公约 %(rule)s 被永久禁言，不能再发布、投稿和评论。理由：%(reason)s")
    else:
        text = _(
            "你因违反社区公约 %(rule)s 被%(step)s，至 %(until)s（北京时间）解除，"
            "期间不能发布、投稿和评论。理由：%(reason)s"
        )
    if penalty.step == PenaltyStep.BAN and penalty.case_id is not None:
        # The account cannot sign in: it appeals with the case number and its e-mail address.
        return (
            (text % values)
            + " "
            + _("如有异议，可以在 %(days)s 天内到“建议反馈”页面，填写案件编号 %(case)s 和账号邮箱申请申诉链接。")
            % {"days": settings.MODERATION_APPEAL_DAYS, "case": penalty.case_id}
        )
    return (
        (text % values)
        + " "
        + _("如有异议，可以在“建议反馈”页面申诉（%(days)s 天内）。") % {"days": settings.MODERATION_APPEAL_DAYS}
    )


@transaction.atomic
def penalty_apply(
    *,
    actor: AbstractBaseUser,
    user: AbstractBaseUser,
    step: int,
    rule: Rule,
    reason: str,
    case: Case | None = None,
    notify: bool = True,
    now: datetime | None = None,
) -> Penalty:
    """Apply one step of the ladder to ``user`` (a moderator's decision; case_decide calls it).

    Mutes never stack and never shorten each other: each penalty keeps its own end, and the
    user is muted until the latest one. A ban deactivates the account at once, which ends
    its sessions (Django refuses inactive users on every request) and its API tokens
    (deleted here; DRF refuses inactive users too).
    """
    require_perm(actor, "moderation.moderate_content")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明处罚理由。")})
    if step not in PenaltyStep.values:
        raise ValidationError({"step": _("处罚等级只能是 0（警告）到 5（封禁账号）。")})
    now = now or timezone.now()
    days = settings.MODERATION_MUTE_DAYS.get(step)
    expires_at = now + timedelta(days=days) if days else None
    status = PenaltyStatus.ENDED if step == PenaltyStep.WARNING else PenaltyStatus.ACTIVE
    penalty = Penalty.objects.create(
        user=user,
        case=case,
        step=step,
        rule_code=rule.code,
        convention_version=rule.convention.version,
        reason=reason,
        status=status,
        starts_at=now,
        expires_at=expires_at,
        ended_at=now if status == PenaltyStatus.ENDED else None,
        decided_by=actor,
    )
    if step == PenaltyStep.BAN:
        _ban(user)
    audit_record(
        actor=actor,
        action="penalty.apply",
        target=user,
        data={
            "penalty": penalty.pk,
            "case": case.pk if case is not None else None,
            "step": step,
            "rule": rule.code,
            "version": rule.convention.version,
            "reason": reason,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    if notify:
        from accounts.services import notice_send

        notice_send(
            user=user,
            kind="penalty_applied",
            text=penalty_describe(penalty),
            link="/accounts/me/#penalties",
            key=f"penalty:{penalty.pk}:applied",
            email=True,
        )
    return penalty


def _ban(user: AbstractBaseUser) -> None:
    from rest_framework.authtoken.models import Token

    User = get_user_model()
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    Token.objects.filter(user_id=user.pk).delete()


@transaction.atomic
def penalty_lift(*, actor: AbstractBaseUser, penalty: Penalty, reason: str) -> Penalty:
    """A moderator ends an active penalty early; it stops counting in the user's history,
    and a lifted ban re-enables the account (unless another ban is in force)."""
    require_perm(actor, "moderation.moderate_content")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明解除理由。")})
    if len(reason) > LIFT_REASON_MAX:
        raise ValidationError({"reason": _("解除理由最多 %(max)s 字。") % {"max": LIFT_REASON_MAX}})
    penalty = Penalty.objects.select_for_update(of=("self",)).select_related("user").get(pk=penalty.pk)
    if penalty.status != PenaltyStatus.ACTIVE:
        raise StateConflict(_("这项处罚已经结束或解除了。"))
    penalty.status = PenaltyStatus.LIFTED
    penalty.counts = False
    penalty.ended_at = timezone.now()
    penalty.lifted_by = actor
    penalty.lift_reason = reason
    penalty.save(update_fields=["status", "counts", "ended_at", "lifted_by", "lift_reason"])
    user = penalty.user
    if penalty.step == PenaltyStep.BAN:
        other_bans = Penalty.objects.filter(user=user, step=PenaltyStep.BAN, status=PenaltyStatus.ACTIVE)
        if not other_bans.exists():
            get_user_model().objects.filter(pk=user.pk).update(is_active=True)
    audit_record(
        actor=actor,
        action="penalty.lift",
        target=user,
        data={"penalty": penalty.pk, "step": penalty.step, "rule": penalty.rule_code, "reason": reason},
    )
    from accounts.services import notice_send

    notice_send(
        user=user,
        kind="penalty_lifted",
        text=_("你的处罚（%(step)s，公约 %(rule)s）已由审核员解除。理由：%(reason)s")
        % {"step": penalty.get_step_display(), "rule": penalty.rule_code, "reason": reason},
        link="/accounts/me/#penalties",
        key=f"penalty:{penalty.pk}:lifted",
        email=True,
    )
    return penalty


def penalties_expire(*, now: datetime | None = None, batch_size: int | None = None) -> int:
    """Mark active penalties whose time has passed as ended and tell each user, once.

    Rows are picked by status and ``expires_at`` through the partial index penalty_due,
    ``batch_size`` at a time, each batch in its own short transaction; on PostgreSQL with
    ``FOR UPDATE SKIP LOCKED``, so two workers running at once share the work and neither
    notifies twice (the notice's key backs that up). Returns how many ended.
    """
    from accounts.services import NoticeData, notice_send_many

    now = now or timezone.now()
    batch_size = batch_size or settings.MODERATION_EXPIRE_BATCH
    features = connection.features
    lock = {"skip_locked": features.has_select_for_update_skip_locked}
    if features.has_select_for_update_of:
        lock["of"] = ("self",)  # lock the penalties, not their users' rows
    ended = 0
    while True:
        with transaction.atomic():
            due = (
                Penalty.objects.select_for_update(**lock)
                .filter(status=PenaltyStatus.ACTIVE, expires_at__lte=now)
                .order_by("expires_at", "id")
            )
            rows = list(due.select_related("user")[:batch_size])
            if not rows:
                break
            Penalty.objects.filter(pk__in=[p.pk for p in rows], status=PenaltyStatus.ACTIVE).update(
                status=PenaltyStatus.ENDED, ended_at=now
            )
            notice_send_many(
                notices=[
                    NoticeData(
                        user=penalty.user,
                        kind="penalty_ended",
                        text=_(
                            "你的%(step)s（公约 %(rule)s）已于 %(when)s 到期，"
                            "现在可以正常发布和评论了。请继续遵守社区公约。"
                        )
                        % {
                            "step": penalty.get_step_display(),
                            "rule": penalty.rule_code,
                            "when": timezone.localtime(penalty.expires_at).strftime("%Y-%m-%d %H:%M"),
                        },
                        link="/accounts/me/#penalties",
                        key=f"penalty:{penalty.pk}:ended",
                        email=True,
                    )
                    for penalty in rows
                ]
            )
            ended += len(rows)
            if len(rows) < batch_size:
                break
    if ended:
        audit_record(actor=None, action="penalty.expire", data={"ended": ended, "at": now.isoformat()})
    return ended
