"""Reads for the accounts app."""

import datetime

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import ApplicationStatus, AuthorApplication, Notice, SignInRecord, User
from moderation.models import Penalty, PenaltyStatus, PenaltyStep

ROLE_LABELS = {
    roles.READER: _("读者"),
    roles.AUTHOR: _("作者"),
    roles.EDITOR: _("编辑"),
    roles.MODERATOR: _("审核员"),
    roles.ADMIN: _("管理员"),
}


def user_role_names(user: User) -> list[str]:
    """The user's roles in the order of PRODUCT §2 (visitor → admin)."""
    if not user.is_authenticated:
        return []
    held = set(user.groups.values_list("name", flat=True))
    return [name for name in roles.ROLES if name in held]


def user_role_labels(user: User) -> list[str]:
    return [str(ROLE_LABELS[name]) for name in user_role_names(user)]


def user_is_author(user: User) -> bool:
    return user.is_authenticated and user.has_perm("articles.submit_article")


# What user_muted_until answers for a permanent mute: a time after every real one, so
# callers that compare or take the latest end need no special case. Show it as 永久禁言,
# never as a date (converted to Beijing time it would overflow).
MUTED_PERMANENTLY = datetime.datetime.max.replace(tzinfo=datetime.UTC)


def user_muted_until(user: User) -> datetime.datetime | None:
    """When the user's mute ends, or None if they are not muted.

    Decided from ``expires_at`` at the moment of the call, never from the expiry task
    having run: a mute is in force while its penalty is active, is a mute (steps 1–4) and
    ends in the future, or never (a permanent mute, step 4 with no ``expires_at``). Mutes
    do not stack (PRODUCT §5): the answer is the latest end among them, and
    ``MUTED_PERMANENTLY`` (``datetime.max`` in UTC) when one of them is permanent. One
    query. It is the one place the API (``muted_until``), the pages and the services ask.
    """
    if not user.is_authenticated:
        return None
    now = timezone.now()
    in_force = Penalty.objects.filter(
        Q(expires_at__gt=now) | Q(expires_at__isnull=True, step=PenaltyStep.MUTE_PERMANENT),
        user=user,
        status=PenaltyStatus.ACTIVE,
        step__gte=PenaltyStep.MUTE_1_DAY,
        step__lte=PenaltyStep.MUTE_PERMANENT,
    ).aggregate(latest=Max("expires_at"), permanent=Count("pk", filter=Q(expires_at__isnull=True)))
    if in_force["permanent"]:
        return MUTED_PERMANENTLY
    return in_force["latest"]


def user_is_banned(user: User) -> bool:
    """A ban deactivates the account (PRODUCT §5): it can no longer sign in."""
    return not user.is_active


def author_application_pending_for(user: User) -> AuthorApplication | None:
    if not user.is_authenticated:
        return None
    return AuthorApplication.objects.filter(user=user, status=ApplicationStatus.PENDING).first()


def author_application_latest_for(user: User) -> AuthorApplication | None:
    if not user.is_authenticated:
        return None
    return AuthorApplication.objects.filter(user=user).order_by("-created_at", "-pk").first()


def author_application_list_pending() -> QuerySet[AuthorApplication]:
    """Oldest first: applicants who waited longest are answered first."""
    return (
        AuthorApplication.objects.filter(status=ApplicationStatus.PENDING)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def author_application_list_decided(*, limit: int = 20) -> QuerySet[AuthorApplication]:
    return (
        AuthorApplication.objects.exclude(status=ApplicationStatus.PENDING)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .select_related("user", "decided_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


def sign_in_records_for(user: User, *, limit: int = 20) -> QuerySet[SignInRecord]:
    return SignInRecord.objects.filter(user=user).order_by("-created_at", "-pk")[:limit]


def accounts_sharing_signals(user: User) -> QuerySet[User]:
    """Other accounts that signed up or in from an IP address or with a user agent this
    user has used — the starting point for a moderator looking at multi-account abuse.
    One query, whatever the number of records; `shared_sign_in_records` shows what matched.
    Blank user agents and unknown addresses match nothing.
    """
    ips = SignInRecord.objects.filter(user=user, ip_address__isnull=False).values("ip_address")
    agents = SignInRecord.objects.filter(user=user).exclude(user_agent="").values("user_agent")
    sharing = SignInRecord.objects.filter(Q(ip_address__in=ips) | Q(user_agent__in=agents)).exclude(user=user)
    return User.objects.filter(pk__in=sharing.values("user_id")).order_by("username")


def shared_sign_in_records(user: User, other: User) -> QuerySet[SignInRecord]:
    """`other`'s records that share an IP address or user agent with `user`."""
    ips = SignInRecord.objects.filter(user=user, ip_address__isnull=False).values("ip_address")
    agents = SignInRecord.objects.filter(user=user).exclude(user_agent="").values("user_agent")
    return SignInRecord.objects.filter(Q(ip_address__in=ips) | Q(user_agent__in=agents), user=other)


# ---------------------------------------------------------------------------
# Notices (站内通知)

NOTICE_PAGE_SIZE = 50


def notice_unread_count(user: User) -> int:
    """The header's badge: one COUNT over the notice_user_unread index (user, read_at)."""
    if not user.is_authenticated:
        return 0
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


def notice_list_for(user: User) -> QuerySet[Notice]:
    """The user's notices, newest first (slice or paginate it: the list only grows)."""
    return Notice.objects.filter(user=user).order_by("-created_at", "-id")
