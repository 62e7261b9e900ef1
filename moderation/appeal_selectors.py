"""Reads for appeals and the feedback page: a person's penalties explained for an appeal,
their appeals, the moderators' queues, and the appeal figures of the transparency pages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from moderation.models import (
    Appeal,
    AppealOutcome,
    AppealStatus,
    Feedback,
    FeedbackKind,
    FeedbackStatus,
    Penalty,
    Rule,
    RuleCategory,
)
from moderation.services.appeals import appeal_deadline, appeal_refusal


@dataclass(frozen=True)
class PenaltyForAppeal:
    """One penalty as its owner reads it before appealing."""

    penalty: Penalty
    rule_title: str
    rule_text: str
    evidence: dict
    deadline: datetime
    refusal: str | None
    appeal: Appeal | None

    @property
    def appealable(self) -> bool:
        return self.refusal is None


def penalties_for_appeal(
    *, user: AbstractBaseUser, penalty_ids: list[int] | None = None, own_appeals: list[Appeal] | None = None
) -> list[PenaltyForAppeal]:
    """The user's penalties, newest first, each with the rule as worded in the convention
    version then in force, the content as the case captured it, and whether (and until
    when) it can be appealed. Three queries whatever the number of penalties (none more
    when there are none)."""
    penalties = Penalty.objects.filter(user=user).select_related("case").order_by("-created_at", "-id")
    if penalty_ids is not None:
        penalties = penalties.filter(pk__in=penalty_ids)
    penalties = list(penalties[:50])
    rule_keys = {(p.convention_version, p.rule_code) for p in penalties}
    rules = {}
    if rule_keys:
        query = Q()
        for version, code in rule_keys:
            query |= Q(convention__version=version, code=code)
        rules = {
            (version, code): (title, text)
            for version, code, title, text in Rule.objects.filter(query).values_list(
                "convention__version", "code", "title", "text"
            )
        }
    # The user's own appeals name both the penalties they appealed and the lighter ones an
    # appeal put in their place (a replacement belongs to the same user).
    # ``own_appeals``: all the user's appeals, when the caller has them loaded already.
    own = own_appeals if own_appeals is not None else (list(Appeal.objects.filter(user=user)) if penalties else [])
    appeals = {a.penalty_id: a for a in own}
    replacements = {a.replacement_id for a in own if a.replacement_id}
    now = timezone.now()
    result = []
    for penalty in penalties:
        title, text = rules.get((penalty.convention_version, penalty.rule_code), ("", ""))
        result.append(
            PenaltyForAppeal(
                penalty=penalty,
                rule_title=title,
                rule_text=text,
                evidence=penalty.case.evidence if penalty.case is not None else {},
                deadline=appeal_deadline(penalty),
                refusal=appeal_refusal(
                    penalty=penalty,
                    now=now,
                    existing=appeals.get(penalty.pk),
                    is_replacement=penalty.pk in replacements,
                ),
                appeal=appeals.get(penalty.pk),
            )
        )
    return result


def appeals_of(user: AbstractBaseUser) -> QuerySet:
    return Appeal.objects.filter(user=user).select_related("penalty").order_by("-created_at", "-id")


def appeal_queue(*, status: str = "") -> QuerySet:
    """Appeals waiting for a moderator, oldest first (an appellant's answer puts one back)."""
    appeals = Appeal.objects.select_related("penalty", "user").annotate(message_count=Count("messages"))
    if status == "decided":
        return appeals.filter(status=AppealStatus.DECIDED).order_by("-decided_at", "-id")
    if status in AppealStatus.values:
        return appeals.filter(status=status).order_by("created_at", "id")
    return appeals.exclude(status=AppealStatus.DECIDED).order_by("created_at", "id")


def appeal_queue_counts() -> dict[str, int]:
    return Appeal.objects.aggregate(
        open=Count("id", filter=Q(status=AppealStatus.OPEN)),
        waiting=Count("id", filter=Q(status=AppealStatus.WAITING)),
        decided=Count("id", filter=Q(status=AppealStatus.DECIDED)),
    )


def feedback_queue(*, kind: str = "", status: str = "") -> QuerySet:
    """The staff queue: suggestions, bugs and copyright complaints, open ones oldest first."""
    items = Feedback.objects.filter(kind__in=[FeedbackKind.SUGGESTION, FeedbackKind.BUG, FeedbackKind.COPYRIGHT])
    if kind in FeedbackKind.values:
        items = items.filter(kind=kind)
    items = items.filter(status=status if status in FeedbackStatus.values else FeedbackStatus.OPEN)
    return (
        items.select_related("user", "case")
        .annotate(attachment_count=Count("attachments"))
        .order_by("created_at", "id")
    )


def feedback_find(*, tracking_number: str) -> Feedback | None:
    number = (tracking_number or "").strip().upper()
    if not number or len(number) > 20:
        return None
    return Feedback.objects.select_related("appeal", "report", "case").filter(tracking_number=number).first()


def feedback_of(user: AbstractBaseUser) -> QuerySet:
    return Feedback.objects.filter(user=user).order_by("-created_at", "-id")


@dataclass(frozen=True)
class AppealFigures:
    category: int
    name: str
    appeals: int
    overturned: int
    reduced: int


def appeal_stats_by_category() -> list[AppealFigures]:
    """Appeals decided and how many were overturned or reduced, by the convention's
    category (the number before the dot of the penalty's rule), since the first appeal.
    No personal data; one query grouped by rule code, folded into the nine categories
    here, and one for the categories' names when there is anything to show."""
    rows = (
        Appeal.objects.filter(status=AppealStatus.DECIDED)
        .values_list("penalty__rule_code", "outcome")
        .annotate(n=Count("id"))
    )
    appeals: Counter = Counter()
    overturned: Counter = Counter()
    reduced: Counter = Counter()
    for code, outcome, n in rows:
        head = (code or "").split(".")[0]
        if not head.isdigit():
            continue
        category = int(head)
        appeals[category] += n
        if outcome == AppealOutcome.OVERTURN:
            overturned[category] += n
        elif outcome == AppealOutcome.REDUCE:
            reduced[category] += n
    if not appeals:
        return []
    names = dict(RuleCategory.objects.filter(convention__is_current=True).values_list("number", "name"))
    return [
        AppealFigures(
            category=c, name=names.get(c, ""), appeals=appeals[c], overturned=overturned[c], reduced=reduced[c]
        )
        for c in sorted(appeals)
    ]
