"""What a penalty takes away from an account, said once for every service that enforces it.

- ``require_not_muted``: every service through which a person speaks on the platform
  (commenting, writing, saving and submitting their own articles, applying to the author
  programme) calls it first, so the refusal is the same sentence everywhere — until when in
  Beijing time (or 永久禁言) and how to appeal — whichever door the person came through
  (page, htmx, API, e-mail).
- ``sign_in_ban_message``: a banned account cannot sign in (Django refuses inactive users);
  to the person who gave the right password, and only to them, the sign-in page and the
  token API explain the ban, its rule, its date and the appeal route.

A mute limits the person's own speech, not the job they hold: an editor who is muted still
reviews, edits and publishes other people's articles, and a muted moderator still decides
cases (their role is a duty the platform gave them, and each of those acts is audited). What
the mute blocks is the person's own writing: their comments, their own articles (also when
they are an editor), their application to the author programme. Reading, signing in,
reporting and appealing are never blocked (PRODUCT §5).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from moderation.models import Penalty, PenaltyStatus, PenaltyStep

# Where a penalised person appeals (a banned one by case number: moderation.services.appeals).
APPEAL_PATH = "/feedback/"
DISPLAY_FORMAT = "%Y-%m-%d %H:%M"


def _muted_until(user: AbstractBaseUser) -> datetime.datetime | None:
    # Looked up at call time: accounts.selectors is the one place that decides it.
    from accounts.selectors import user_muted_until

    return user_muted_until(user)


def mute_is_permanent(until: datetime.datetime | None) -> bool:
    """user_muted_until answers datetime.max (UTC) for a permanent mute: no real end is that late."""
    return until is not None and until.year >= datetime.MAXYEAR


def appeal_sentence() -> str:
    return _("如有异议，可以在“建议反馈”页面（%(path)s）提出申诉。") % {"path": APPEAL_PATH}


def mute_refusal_message(*, until: datetime.datetime, action: str) -> str:
    """'You are muted until … (Beijing time) and cannot <action> meanwhile; appeal at …'."""
    if mute_is_permanent(until):
        text = _("你已被永久禁言，不能%(action)s。") % {"action": action}
    else:
        text = _("你在禁言中，至 %(until)s（北京时间）解除，期间不能%(action)s。") % {
            "until": timezone.localtime(until).strftime(DISPLAY_FORMAT),
            "action": action,
        }
    return text + appeal_sentence()


def require_not_muted(user: AbstractBaseUser, *, action: str) -> None:
    """Raise PermissionDenied with the refusal sentence when ``user`` is muted now.

    ``action`` completes “期间不能……”: 发表评论, 投稿, 修改文章… One query (the mute is
    decided from ``expires_at`` at this moment, never from the expiry task having run).
    """
    if user is None or not user.is_authenticated:
        return
    until = _muted_until(user)
    if until is not None:
        raise PermissionDenied(mute_refusal_message(until=until, action=action))


def active_ban(user: AbstractBaseUser) -> Penalty | None:
    """The ban in force on ``user`` (the latest, if ever more than one), or None."""
    return (
        Penalty.objects.filter(user=user, step=PenaltyStep.BAN, status=PenaltyStatus.ACTIVE)
        .order_by("-starts_at", "-id")
        .first()
    )


def ban_message(penalty: Penalty) -> str:
    """The ban as its owner reads it at the sign-in door: when, which rule, why, how to appeal."""
    from moderation.models import Rule

    rule = (
        Rule.objects.filter(convention__version=penalty.convention_version, code=penalty.rule_code)
        .values_list("title", flat=True)
        .first()
    )
    text = _("你的账号已于 %(when)s（北京时间）因违反社区公约 %(rule)s%(title)s被封禁，不能登录。理由：%(reason)s") % {
        "when": timezone.localtime(penalty.starts_at).strftime(DISPLAY_FORMAT),
        "rule": penalty.rule_code,
        "title": _("（%(title)s）") % {"title": rule} if rule else "",
        "reason": penalty.reason.rstrip("。") + "。",
    }
    if penalty.case_id is None:
        return text + _("如有异议，可以在“建议反馈”页面（%(path)s）提出申诉。") % {"path": APPEAL_PATH}
    # A banned account cannot sign in: it appeals by the case number and the account's address.
    return text + _(
        "如有异议，可以在“建议反馈”页面（%(path)s?kind=appeal）填写案件编号 %(case)s 和账号邮箱，"
        "我们会把申诉链接发到你的邮箱。"
    ) % {"path": APPEAL_PATH, "case": penalty.case_id}


def sign_in_ban_message(*, username: str, password: str) -> str | None:
    """The ban explanation for a sign-in whose user name and password are right but whose
    account is banned; None in every other case (unknown name, wrong password, an account
    deactivated for another reason), so it tells nothing to someone without the password.

    Call it only after authenticate() refused the sign-in, and not when django-axes locked
    the attempt out (a locked-out client must learn nothing more).
    """
    if not username or not password:
        return None
    User = get_user_model()
    user = User._default_manager.filter(**{User.USERNAME_FIELD: username}, is_active=False).first()
    if user is None or not user.check_password(password):
        return None
    ban = active_ban(user)
    return ban_message(ban) if ban is not None else None
