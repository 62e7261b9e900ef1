"""Appeals (申诉): filing one, the one-time link for banned accounts, the conversation,
and the decision by a moderator who did not decide the case.

Rules every door (page, API, e-mailed link) gets from here:
- one appeal per penalty (the constraint ``one_appeal_per_penalty`` backs it up), filed
  within MODERATION_APPEAL_DAYS of the decision; a lifted or overturned penalty, or the
  lighter penalty an appeal put in place of another, cannot be appealed;
- a muted person may appeal (a mute limits speech, not appeals); a banned person, who
  cannot sign in, appeals through a signed link sent to the account's address;
- the moderator who decided the case (or applied the penalty) never reviews its appeal,
  neither asking nor deciding; nor does the appellant review their own.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.errors import StateConflict
from moderation.models import (
    Appeal,
    AppealMessage,
    AppealMessageRole,
    AppealOutcome,
    AppealStatus,
    Case,
    Feedback,
    FeedbackKind,
    FeedbackStatus,
    Penalty,
    PenaltyStatus,
    PenaltyStep,
    Rule,
)
from moderation.registry import NotRegistered, registry
from moderation.services.audit import audit_record, require_perm

APPEAL_TEXT_MAX = 3000
MESSAGE_TEXT_MAX = 2000
REASON_MAX = 2000
LINK_SALT = "moderation.appeal-link"
ACCESS_SALT = "moderation.appeal-access"
# How long the conversation link in an e-mail to a banned appellant works (a new one comes
# with every message).
ACCESS_MAX_AGE = 60 * 60 * 24 * 30
TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed back


def _lock_own_rows() -> dict:
    """Lock only the queried table's rows: PostgreSQL refuses FOR UPDATE on the nullable side
    of an outer join (a select_related of a nullable key), and the joined rows need no lock."""
    return {"of": ("self",)} if connection.features.has_select_for_update_of else {}


def tracking_number_new(prefix: str) -> str:
    """A number a person can quote: prefix, the date (Beijing time) and six random characters."""
    day = timezone.localdate().strftime("%Y%m%d")
    return f"{prefix}{day}-{''.join(secrets.choice(TRACKING_ALPHABET) for _ in range(6))}"


def appeal_deadline(penalty: Penalty) -> datetime:
    """The last moment ``penalty`` may be appealed: MODERATION_APPEAL_DAYS after the decision."""
    return penalty.created_at + timedelta(days=settings.MODERATION_APPEAL_DAYS)


_UNKNOWN = object()


def appeal_refusal(
    *, penalty: Penalty, now: datetime | None = None, existing=_UNKNOWN, is_replacement: bool | None = None
) -> str | None:
    """Why ``penalty`` cannot be appealed now (a sentence for the person), or None.

    A page listing many penalties passes what it already loaded — ``existing`` (the
    penalty's appeal or None) and ``is_replacement`` — so the check costs no query each.
    """
    now = now or timezone.now()
    if existing is _UNKNOWN:
        existing = Appeal.objects.filter(penalty=penalty).first()
    if is_replacement is None:
        is_replacement = Appeal.objects.filter(replacement=penalty).exists()
    if existing is not None:
        return _("这项处罚已经申诉过了（受理编号 %(number)s），每项处罚只能申诉一次。") % {
            "number": existing.tracking_number
        }
    if is_replacement:
        return _("这项处罚是申诉后减轻的结果，不能再次申诉。")
    if penalty.status in (PenaltyStatus.LIFTED, PenaltyStatus.OVERTURNED, PenaltyStatus.REDUCED):
        return _("这项处罚已经解除或撤销，不需要申诉。")
    deadline = appeal_deadline(penalty)
    if now > deadline:
        return _("申诉期限已过：处罚决定后 %(days)s 天内可以申诉，这项处罚的期限是 %(deadline)s（北京时间）。") % {
            "days": settings.MODERATION_APPEAL_DAYS,
            "deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
        }
    return None


def appeal_evidence(penalty: Penalty) -> dict:
    """What the appeal is about, frozen: the rule as worded in the version then in force,
    the content as the case captured it, the decision and its dates."""
    rule = (
        Rule.objects.filter(convention__version=penalty.convention_version, code=penalty.rule_code)
        .values("title", "text")
        .first()
        or {}
    )
    case: Case | None = penalty.case
    return {
        "rule": penalty.rule_code,
        "rule_title": rule.get("title", ""),
        "rule_text": rule.get("text", ""),
        "convention_version": penalty.convention_version,
        "step": penalty.step,
        "step_label": str(PenaltyStep(penalty.step).label),
        "reason": penalty.reason,
        "starts_at": penalty.starts_at.isoformat(),
        "expires_at": penalty.expires_at.isoformat() if penalty.expires_at else None,
        "case": case.pk if case is not None else None,
        "decision": case.get_decision_display() if case is not None and case.decision else "",
        "decision_reason": case.decision_reason if case is not None else "",
        "decided_at": case.decided_at.isoformat() if case is not None and case.decided_at else None,
        "content": dict(case.evidence) if case is not None else {},
    }


def _clean_text(text: str, *, field: str, empty: str, maximum: int) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: empty})
    if len(text) > maximum:
        raise ValidationError({field: _("最多 %(max)s 字，现在是 %(n)s 字。") % {"max": maximum, "n": len(text)}})
    return text


def appeal_link(appeal: Appeal) -> str:
    """Where the appellant follows their appeal: their own page when they can sign in, a
    signed conversation link when they are banned (sent with every e-mail)."""
    path = reverse("feedback:appeal", kwargs={"number": appeal.tracking_number})
    if appeal.user.is_active:
        return path
    return f"{path}?t={signing.dumps({'a': appeal.pk}, salt=ACCESS_SALT)}"


def appeal_access_check(*, appeal: Appeal, token: str) -> bool:
    """Whether ``token`` (from an e-mailed link) opens ``appeal``'s conversation."""
    try:
        data = signing.loads(token or "", salt=ACCESS_SALT, max_age=ACCESS_MAX_AGE)
    except signing.BadSignature:
        return False
    return isinstance(data, dict) and data.get("a") == appeal.pk


def _notify_appellant(*, appeal: Appeal, kind: str, text: str, key: str) -> None:
    from accounts.services import notice_send

    notice_send(user=appeal.user, kind=kind, text=text, link=appeal_link(appeal), key=key, email=True)


@transaction.atomic
def appeal_create(
    *, user: AbstractBaseUser, penalty: Penalty, text: str, link_nonce: str = "", now: datetime | None = None
) -> Appeal:
    """``user`` appeals their own ``penalty`` (signed in, or through the e-mailed link:
    ``link_nonce`` is then the link's, which this spends).

    Raises PermissionDenied (not their penalty), StateConflict (already appealed — also a
    second use of the same link —, lifted or overturned, or too late), ValidationError (text).
    """
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("请先登录再申诉；账号被封禁时，请用案件编号和账号邮箱申请申诉链接。"))
    penalty = Penalty.objects.select_for_update(**_lock_own_rows()).select_related("case").get(pk=penalty.pk)
    if penalty.user_id != user.pk:
        raise PermissionDenied(_("只能申诉自己的处罚。"))
    if link_nonce:
        used = Appeal.objects.filter(penalty=penalty, link_nonce=link_nonce).first()
        if used is not None:
            raise StateConflict(
                _("这个申诉链接已经用过了，申诉已经提交（受理编号 %(number)s），结果会发到你的邮箱。")
                % {"number": used.tracking_number}
            )
    refusal = appeal_refusal(penalty=penalty, now=now)
    if refusal:
        raise StateConflict(refusal)
    text = _clean_text(text, field="text", empty=_("请写下申诉理由：你认为处罚哪里不对。"), maximum=APPEAL_TEXT_MAX)
    try:
        with transaction.atomic():  # a savepoint: a concurrent second appeal leaves the transaction usable
            appeal = Appeal.objects.create(
                penalty=penalty,
                user=user,
                tracking_number=tracking_number_new("SS"),
                text=text,
                evidence=appeal_evidence(penalty),
                via_link=bool(link_nonce),
                link_nonce=link_nonce,
            )
    except IntegrityError:
        raise StateConflict(_("这项处罚已经申诉过了，每项处罚只能申诉一次。")) from None
    # The feedback page's receipt: every item, appeals included, is found by its number.
    Feedback.objects.create(
        kind=FeedbackKind.APPEAL,
        status=FeedbackStatus.OPEN,
        tracking_number=appeal.tracking_number,
        user=user,
        email=user.email or "",
        text=text,
        appeal=appeal,
        confirmed_at=timezone.now(),
    )
    audit_record(
        actor=user,
        action="appeal.create",
        target=penalty.user,
        data={"appeal": appeal.pk, "penalty": penalty.pk, "rule": penalty.rule_code, "via_link": bool(link_nonce)},
    )
    _notify_appellant(
        appeal=appeal,
        kind="appeal_update",
        text=_("你对%(step)s（公约 %(rule)s）的申诉已受理，受理编号 %(number)s。审核员会尽快处理，结果会通知你。")
        % {"step": penalty.get_step_display(), "rule": penalty.rule_code, "number": appeal.tracking_number},
        key=f"appeal:{appeal.pk}:created",
    )
    return appeal


# ---------------------------------------------------------------------------
# The one-time link for banned accounts


def appeal_link_request(*, case_number: str, email: str, client_key: str) -> None:
    """A banned person asks for an appeal link with the case number and the account's address.

    Always returns None, whatever matched: the page says the same sentence either way, so
    it tells nobody whether an address belongs to a case. When the number and the address
    match the case's account, an e-mail goes to that address (the link, or why the penalty
    can no longer be appealed). Rate-limited per client and per case.
    """
    from accounts.ratelimit import RateLimited, rate_limit_retry_after, rate_limit_take
    from moderation.feedback_tasks import send_appeal_link
    from reliability.outbox import outbox_enqueue

    number = (case_number or "").strip().lstrip("#")
    email = (email or "").strip()
    if not number.isdigit() or len(number) > 18:
        raise ValidationError({"case_number": _("案件编号是处罚通知里的数字，例如 1024。")})
    if "@" not in email or len(email) > 254:
        raise ValidationError({"email": _("请填写账号注册时用的邮箱地址。")})
    with transaction.atomic():
        key = f"appeal-link:{client_key}"
        if not rate_limit_take(key=key, limit=5, window_seconds=3600):
            raise RateLimited(_("申请太频繁了，请一小时后再试。"), retry_after=rate_limit_retry_after(key=key))
        if not rate_limit_take(key=f"appeal-link-case:{number}", limit=3, window_seconds=3600):
            return  # quietly: the page must not tell a guessed number from a real one
        penalty = (
            Penalty.objects.select_related("user")
            .filter(case_id=int(number), user__email__iexact=email)
            .order_by("-created_at", "-id")
            .first()
        )
        if penalty is None:
            return
        outbox_enqueue(send_appeal_link, penalty.pk)
        audit_record(actor=None, action="appeal.link_request", target=penalty.user, data={"penalty": penalty.pk})


def appeal_link_token(*, penalty: Penalty) -> tuple[str, str]:
    """(token, nonce) of a fresh one-time link for ``penalty``."""
    nonce = secrets.token_hex(8)
    return signing.dumps({"p": penalty.pk, "n": nonce}, salt=LINK_SALT), nonce


def appeal_link_check(*, token: str) -> tuple[Penalty, str]:
    """The penalty and nonce a link names. ValidationError when it is expired or was altered;
    StateConflict when it was already used (or the penalty can no longer be appealed)."""
    try:
        data = signing.loads(token or "", salt=LINK_SALT, max_age=settings.MODERATION_APPEAL_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(
            _("申诉链接已过期（有效期 %(hours)s 小时），请重新申请。")
            % {"hours": settings.MODERATION_APPEAL_LINK_MAX_AGE // 3600}
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("申诉链接无效，请检查是否完整复制了邮件里的链接，或重新申请。")) from None
    penalty = Penalty.objects.select_related("user", "case").filter(pk=data.get("p")).first()
    if penalty is None:
        raise ValidationError(_("申诉链接无效，请重新申请。"))
    nonce = str(data.get("n", ""))
    used = Appeal.objects.filter(penalty=penalty, link_nonce=nonce).first()
    if used is not None:
        raise StateConflict(
            _("这个申诉链接已经用过了（受理编号 %(number)s），申诉结果会发到你的邮箱。")
            % {"number": used.tracking_number}
        )
    return penalty, nonce


# ---------------------------------------------------------------------------
# Review


def appeal_reviewer_refusal(*, actor: AbstractBaseUser | None, appeal: Appeal) -> str | None:
    """Why ``actor`` may not review ``appeal`` (a sentence), or None."""
    if actor is None or not actor.is_authenticated or not actor.has_perm("moderation.moderate_content"):
        return _("只有审核员可以审核申诉。")
    if actor.pk == appeal.user_id:
        return _("不能审核自己的申诉。")
    penalty = appeal.penalty
    deciders = {penalty.decided_by_id}
    if penalty.case_id is not None:
        deciders.add(Case.objects.filter(pk=penalty.case_id).values_list("decided_by_id", flat=True).first())
    if actor.pk in deciders:
        return _("你做出了原处罚决定，按规定不能审核这项申诉，请交给其他审核员。")
    return None


def _require_reviewer(*, actor: AbstractBaseUser, appeal: Appeal) -> None:
    require_perm(actor, "moderation.moderate_content")
    refusal = appeal_reviewer_refusal(actor=actor, appeal=appeal)
    if refusal:
        raise PermissionDenied(refusal)


@transaction.atomic
def appeal_message_add(*, actor: AbstractBaseUser, appeal: Appeal, text: str) -> AppealMessage:
    """One turn of the conversation: a reviewing moderator asks (the appeal then waits for
    the appellant), or the appellant answers (it goes back to the queue). The other side
    is told in their notices and by e-mail; the appellant never sees the moderator's name."""
    appeal = Appeal.objects.select_for_update(**_lock_own_rows()).select_related("penalty", "user").get(pk=appeal.pk)
    if appeal.status == AppealStatus.DECIDED:
        raise StateConflict(_("这项申诉已经有结果了，不能再留言。"))
    if actor is not None and actor.is_authenticated and actor.pk == appeal.user_id:
        role = AppealMessageRole.APPELLANT
    else:
        _require_reviewer(actor=actor, appeal=appeal)
        role = AppealMessageRole.MODERATOR
    text = _clean_text(text, field="text", empty=_("请写下要说的话。"), maximum=MESSAGE_TEXT_MAX)
    message = AppealMessage.objects.create(appeal=appeal, author=actor, role=role, text=text)
    appeal.status = AppealStatus.WAITING if role == AppealMessageRole.MODERATOR else AppealStatus.OPEN
    appeal.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=f"appeal.{role}_message",
        target=appeal.user,
        data={"appeal": appeal.pk, "message": message.pk},
    )
    if role == AppealMessageRole.MODERATOR:
        _notify_appellant(
            appeal=appeal,
            kind="appeal_message",
            text=_("审核员对你的申诉（%(number)s）提出了问题：%(text)s 请在申诉页面回复。")
            % {"number": appeal.tracking_number, "text": text[:300]},
            key=f"appeal-message:{message.pk}",
        )
    else:
        from accounts.services import notice_send

        # The moderators who asked are told; the appeal is back in the queue for everyone else.
        moderator_ids = set(
            appeal.messages.filter(role=AppealMessageRole.MODERATOR).values_list("author_id", flat=True)
        )
        for moderator in get_user_model().objects.filter(pk__in=moderator_ids - {None}):
            notice_send(
                user=moderator,
                kind="appeal_message",
                text=_("申诉 %(number)s 的申诉人回复了：%(text)s")
                % {"number": appeal.tracking_number, "text": text[:300]},
                link=reverse("feedback:review", kwargs={"pk": appeal.pk}),
                key=f"appeal-message:{message.pk}",
                email=True,
            )
    return message


def _rule_for(penalty: Penalty) -> Rule:
    rule = (
        Rule.objects.select_related("convention")
        .filter(convention__version=penalty.convention_version, code=penalty.rule_code)
        .first()
    )
    rule = (
        rule
        or Rule.objects.select_related("convention").filter(convention__is_current=True, code=penalty.rule_code).first()
    )
    if rule is None:
        raise ValidationError({"step": _("找不到原处罚的公约条款 %(rule)s，无法减轻。") % {"rule": penalty.rule_code}})
    return rule


def _end(penalty: Penalty, *, status: str, actor: AbstractBaseUser, reason: str, now: datetime) -> None:
    """The penalty stops at once and stops counting in the user's history; a ban's account
    is enabled again unless another ban is in force."""
    if penalty.status == PenaltyStatus.ACTIVE or penalty.ended_at is None:
        penalty.ended_at = now
    penalty.status = status
    penalty.counts = False
    penalty.lifted_by = actor
    penalty.lift_reason = reason
    penalty.save(update_fields=["status", "counts", "ended_at", "lifted_by", "lift_reason"])
    if penalty.step == PenaltyStep.BAN:
        others = Penalty.objects.filter(user_id=penalty.user_id, step=PenaltyStep.BAN, status=PenaltyStatus.ACTIVE)
        if not others.exists():
            get_user_model().objects.filter(pk=penalty.user_id).update(is_active=True)


def _restore_content(penalty: Penalty) -> bool:
    """Bring back what the case removed, where it was, through its adapter."""
    case = penalty.case
    if case is None or not case.content_removed:
        return False
    model = case.content_type.model_class()
    try:
        adapter = registry.adapter_for(model)
    except NotRegistered:
        return False
    obj = adapter.get_queryset().select_for_update(**_lock_own_rows()).filter(pk=case.object_id).first()
    if obj is None:
        return False
    return bool(adapter.unremove(obj, evidence=case.evidence))


@dataclass(frozen=True)
class AppealDecision:
    appeal: Appeal
    replacement: Penalty | None
    content_restored: bool


@transaction.atomic
def appeal_decide(
    *,
    actor: AbstractBaseUser,
    appeal: Appeal,
    outcome: str,
    reason: str,
    step: int | None = None,
    now: datetime | None = None,
) -> AppealDecision:
    """A moderator who did not decide the case decides the appeal.

    - ``uphold``: the penalty stays as it is.
    - ``reduce`` to a lower ``step``: the old penalty ends (status ``reduced``, no longer
      counting) and the lighter one is applied *from the old one's start*, so the person is
      punished as if the lighter step had been chosen on the day — a 7-day mute reduced to 1
      day ends one day after it began, possibly already. Chosen over shortening the row in
      place so each row stays the true record of one decision (the audit log and the
      history show both), and over starting the lighter one now, which would punish longer.
      The violation still counts once (through the new row).
    - ``overturn``: the penalty ends at once (status ``overturned``) and stops counting; a
      ban's account is enabled again; content the case removed comes back where it was
      through its adapter's ``unremove``.
    The appellant is told by notice and e-mail; everything is audited. Two moderators at
    once: the second finds the appeal decided (StateConflict).
    """
    from moderation.services.penalties import penalty_apply

    now = now or timezone.now()
    appeal = Appeal.objects.select_for_update(**_lock_own_rows()).select_related("user").get(pk=appeal.pk)
    _require_reviewer(actor=actor, appeal=appeal)
    if appeal.status == AppealStatus.DECIDED:
        raise StateConflict(_("这项申诉已经有结果了，可能另一位审核员刚刚做了决定。"))
    if outcome not in AppealOutcome.values:
        raise ValidationError({"outcome": _("审核结果只能是维持、减轻或撤销。")})
    reason = _clean_text(reason, field="reason", empty=_("请写明审核理由，申诉人会看到它。"), maximum=REASON_MAX)
    penalty = (
        Penalty.objects.select_for_update(**_lock_own_rows()).select_related("case", "user").get(pk=appeal.penalty_id)
    )
    replacement = None
    restored = False
    if outcome == AppealOutcome.REDUCE:
        if step is None or not 0 <= step < penalty.step:
            raise ValidationError(
                {"step": _("减轻后的处罚必须比原处罚（%(step)s）轻。") % {"step": penalty.get_step_display()}}
            )
        if penalty.status not in (PenaltyStatus.ACTIVE, PenaltyStatus.ENDED):
            raise StateConflict(_("这项处罚已经解除，不能再减轻。"))
        rule = _rule_for(penalty)
        _end(penalty, status=PenaltyStatus.REDUCED, actor=actor, reason=reason, now=now)
        replacement = penalty_apply(
            actor=actor,
            user=penalty.user,
            step=step,
            rule=rule,
            reason=_("申诉后减轻：%(reason)s") % {"reason": reason},
            case=penalty.case,
            notify=False,
            now=penalty.starts_at,
        )
        if replacement.status == PenaltyStatus.ACTIVE and replacement.expires_at and replacement.expires_at <= now:
            replacement.status = PenaltyStatus.ENDED
            replacement.ended_at = now
            replacement.save(update_fields=["status", "ended_at"])
    elif outcome == AppealOutcome.OVERTURN:
        if penalty.status in (PenaltyStatus.LIFTED, PenaltyStatus.OVERTURNED, PenaltyStatus.REDUCED):
            raise StateConflict(_("这项处罚已经解除，不需要撤销。"))
        _end(penalty, status=PenaltyStatus.OVERTURNED, actor=actor, reason=reason, now=now)
        restored = _restore_content(penalty)
    appeal.status = AppealStatus.DECIDED
    appeal.outcome = outcome
    appeal.decided_by = actor
    appeal.decided_at = now
    appeal.decision_reason = reason
    appeal.new_step = replacement.step if replacement is not None else None
    appeal.replacement = replacement
    appeal.content_restored = restored
    appeal.save()
    Feedback.objects.filter(appeal=appeal).update(status=FeedbackStatus.CLOSED, updated_at=now)
    audit_record(
        actor=actor,
        action=f"appeal.{outcome}",
        target=penalty.user,
        data={
            "appeal": appeal.pk,
            "penalty": penalty.pk,
            "case": penalty.case_id,
            "rule": penalty.rule_code,
            "version": penalty.convention_version,
            "reason": reason,
            "old_step": penalty.step,
            "new_step": appeal.new_step,
            "replacement": replacement.pk if replacement is not None else None,
            "content_restored": restored,
        },
    )
    values = {
        "number": appeal.tracking_number,
        "step": penalty.get_step_display(),
        "rule": penalty.rule_code,
        "reason": reason,
    }
    if outcome == AppealOutcome.UPHOLD:
        text = _("你的申诉（%(number)s）审核完毕：维持原处罚（%(step)s，公约 %(rule)s）。理由：%(reason)s") % values
    elif outcome == AppealOutcome.REDUCE:
        values["new"] = replacement.get_step_display()
        text = (
            _("你的申诉（%(number)s）审核完毕：处罚由%(step)s减轻为%(new)s，从原处罚开始时计算。理由：%(reason)s")
            % values
        )
    else:
        text = (
            _(
                "你的申诉（%(number)s）审核完毕：撤销处罚（%(step)s，公约 %(rule)s），"
                "处罚立即结束，不计入违规记录。理由：%(reason)s"
            )
            % values
        )
        if restored:
            text += _("被删除的内容已恢复到原来的位置。")
        if penalty.step == PenaltyStep.BAN:
            text += _("你的账号已恢复，可以重新登录。")
    appeal.user.refresh_from_db(fields=["is_active"])
    _notify_appellant(appeal=appeal, kind="appeal_decided", text=text, key=f"appeal:{appeal.pk}:decided")
    return AppealDecision(appeal=appeal, replacement=replacement, content_restored=restored)
