"""Reads for the accounts app."""

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import ApplicationStatus, AuthorApplication, SignInRecord, User

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


def user_muted_until(user: User) -> datetime.datetime | None:
    """When the user's mute ends, or None if they are not muted.

    Penalties (PRODUCT §5) arrive with the moderation issue; until a Penalty model exists
    nobody can be muted, so this answers None. It is the one place the API (`muted_until`)
    and the pages ask, so the penalties work only has to change this function.
    """
    return None


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
