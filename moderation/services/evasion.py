"""Ban evasion: a new account signing up from the very network address and browser of a
banned account is put in front of the moderators (PRODUCT §5, multi-account abuse).

Nothing happens to the new account by itself — a shared address (a school, an office, a
mobile carrier's NAT) is a reason to look, not proof — so this only opens a case on the new
user, says why in its evidence, and audits it; the moderator decides.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext as _

from moderation.models import Case, PenaltyStatus, PenaltyStep
from moderation.services.audit import audit_record
from moderation.services.cases import case_open_for

# At most this many banned names are written into the flag (the case page lists the rest).
FLAG_NAMES_MAX = 10
FLAG_PREFIX = "ban_evasion"


def banned_accounts_sharing(*, user: AbstractBaseUser, ip_address: str | None, user_agent: str):
    """Banned accounts (an active ban penalty) with a sign-up or sign-in record from this
    exact IP address *and* user agent (both on the same record)."""
    User = get_user_model()
    if not ip_address or not user_agent:
        return User.objects.none()
    return (
        User.objects.filter(
            penalties__step=PenaltyStep.BAN,
            penalties__status=PenaltyStatus.ACTIVE,
        )
        .filter(sign_in_records__ip_address=ip_address, sign_in_records__user_agent=user_agent)
        .exclude(pk=user.pk)
        .distinct()
        .order_by("username")
    )


def ban_evasion_check(*, user: AbstractBaseUser, ip_address: str | None, user_agent: str) -> Case | None:
    """Flag ``user`` (just signed up) as possible ban evasion when a banned account used the
    same IP address and user agent. Returns the case, or None when nothing matched.

    Call inside the sign-up's transaction (case_open_for locks the new user's row).
    """
    names = list(
        banned_accounts_sharing(user=user, ip_address=ip_address, user_agent=user_agent).values_list(
            "username", flat=True
        )[: FLAG_NAMES_MAX + 1]
    )
    if not names:
        return None
    case = case_open_for(obj=user)
    shown = "、".join(names[:FLAG_NAMES_MAX]) + ("…" if len(names) > FLAG_NAMES_MAX else "")
    flags = list(case.evidence.get("flags", []))
    flags.append(f"{FLAG_PREFIX}: {shown}")
    case.evidence = {
        **case.evidence,
        "flags": flags,
        "flag_notes": [
            *case.evidence.get("flag_notes", []),
            _("疑似规避封禁：注册时的 IP 地址和浏览器与被封禁的账号 %(names)s 相同。") % {"names": shown},
        ],
    }
    case.save(update_fields=["evidence", "updated_at"])
    audit_record(
        actor=None,
        action="case.flag_ban_evasion",
        target=user,
        data={"case": case.pk, "banned": names[:FLAG_NAMES_MAX], "ip": ip_address},
    )
    return case
