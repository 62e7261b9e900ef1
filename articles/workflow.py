"""The editorial workflow as one table: which transition may leave which status, and where
it goes (PRODUCT §3).

    draft → submitted → in_review ⇄ changes_requested
    in_review → approved → scheduled → published → unpublished → archived
                approved ──────────→ published

Services in articles.services look a transition up here before they touch a row, so a
transition that the table does not allow is refused in one place, with a message that
names the article's current status. Who may perform a transition is checked by the
service (permissions and ownership are not a property of the status).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from articles.models import ArticleStatus
from cms.errors import StateConflict

S = ArticleStatus


class Transition(StrEnum):
    SAVE_DRAFT = "save_draft"
    SUBMIT = "submit"
    CLAIM = "claim"
    TAKE_OVER = "take_over"
    REQUEST_CHANGES = "request_changes"
    APPROVE = "approve"
    SCHEDULE = "schedule"
    UNSCHEDULE = "unschedule"
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"
    ARCHIVE = "archive"
    EDIT = "edit"


@dataclass(frozen=True)
class Rule:
    label: object  # a lazy Chinese verb phrase, used in messages ("投稿", "发布")
    sources: frozenset[str]
    # The status it leads to: one for every source, or per source (a mapping); None keeps
    # the status (saving, editing, taking over).
    target: str | dict[str, str] | None


TABLE: dict[Transition, Rule] = {
    # The author works on their text while it is theirs to change.
    Transition.SAVE_DRAFT: Rule(_("保存草稿"), frozenset({S.DRAFT, S.CHANGES_REQUESTED}), None),
    # A first submission joins the queue of new submissions; answering a change request
    # goes straight back to the editor who asked (still claimed by them).
    Transition.SUBMIT: Rule(
        _("投稿"),
        frozenset({S.DRAFT, S.CHANGES_REQUESTED}),
        {S.DRAFT: S.SUBMITTED, S.CHANGES_REQUESTED: S.IN_REVIEW},
    ),
    Transition.CLAIM: Rule(_("认领审稿"), frozenset({S.SUBMITTED}), S.IN_REVIEW),
    Transition.TAKE_OVER: Rule(_("接手审稿"), frozenset({S.IN_REVIEW, S.CHANGES_REQUESTED, S.APPROVED}), None),
    Transition.REQUEST_CHANGES: Rule(_("要求修改"), frozenset({S.IN_REVIEW}), S.CHANGES_REQUESTED),
    Transition.APPROVE: Rule(_("审核通过"), frozenset({S.IN_REVIEW}), S.APPROVED),
    # Scheduling again while scheduled moves the publish time.
    Transition.SCHEDULE: Rule(_("定时发布"), frozenset({S.APPROVED, S.SCHEDULED}), S.SCHEDULED),
    Transition.UNSCHEDULE: Rule(_("取消定时"), frozenset({S.SCHEDULED}), S.APPROVED),
    Transition.PUBLISH: Rule(_("发布"), frozenset({S.APPROVED, S.SCHEDULED}), S.PUBLISHED),
    Transition.UNPUBLISH: Rule(_("下线"), frozenset({S.PUBLISHED}), S.UNPUBLISHED),
    # Archiving also serves as declining (退稿) an article under review.
    Transition.ARCHIVE: Rule(_("归档"), frozenset({S.UNPUBLISHED, S.IN_REVIEW, S.CHANGES_REQUESTED}), S.ARCHIVED),
    # Editing a text that is past the draft stage (a new revision, scanned again).
    Transition.EDIT: Rule(
        _("修改文章"),
        frozenset({S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.APPROVED, S.SCHEDULED, S.PUBLISHED}),
        None,
    ),
}


def status_label(status: str) -> str:
    return str(S(status).label)


def can(status: str, transition: Transition) -> bool:
    return status in TABLE[transition].sources


def check(status: str, transition: Transition) -> str:
    """Return the status the article moves to (the same one for a non-moving transition),
    or raise StateConflict saying why not."""
    rule = TABLE[transition]
    if status not in rule.sources:
        allowed = _("、").join(
            _("「%(status)s」") % {"status": status_label(s)} for s in ArticleStatus.values if s in rule.sources
        )
        raise StateConflict(
            _("文章当前状态为「%(current)s」，不能%(action)s（只有%(allowed)s的文章可以%(action)s）。")
            % {"current": status_label(status), "action": rule.label, "allowed": allowed}
        )
    if isinstance(rule.target, dict):
        return rule.target[status]
    return rule.target or status


def allowed_transitions(status: str) -> set[Transition]:
    """Transitions the table allows from `status` (the UI shows only these buttons)."""
    return {transition for transition, rule in TABLE.items() if status in rule.sources}
