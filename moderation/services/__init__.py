"""Writes for the moderation app, one module per concern; each write is a keyword-only
function named <entity>_<action>. Callers import from here (``moderation.services``):

- convention: loading the convention
- audit: the append-only audit log, and the shared permission check
- lexicon: terms
- scans: scanning registered objects, and resolving scans
- reports, cases, penalties: the convention enforced (reports gather into cases,
  moderators decide them, penalties follow)
- evasion: sign-ups that look like a banned account coming back, flagged as cases
- appeals: appeals of penalties, the banned account's one-time link, the review
- feedback: the feedback page's items (suggestions, bugs, copyright complaints, reports)
"""

from moderation.services.appeals import (
    appeal_create,
    appeal_decide,
    appeal_link_check,
    appeal_link_request,
    appeal_message_add,
    appeal_refusal,
    appeal_reviewer_refusal,
)
from moderation.services.audit import audit_record, require_perm
from moderation.services.cases import case_attach_scan, case_decide, case_open_for, case_refresh
from moderation.services.convention import convention_load
from moderation.services.evasion import ban_evasion_check
from moderation.services.feedback import (
    FeedbackData,
    feedback_close,
    feedback_confirm,
    feedback_reply,
    feedback_submit,
)
from moderation.services.lexicon import (
    TermData,
    term_clean,
    term_create,
    term_disable,
    term_enable,
    term_seed_load,
    term_update,
)
from moderation.services.penalties import (
    penalties_expire,
    penalty_apply,
    penalty_describe,
    penalty_lift,
    penalty_proposal,
    policy_config,
    prior_violations,
)
from moderation.services.reports import REPORT_TARGET_MODELS, report_create, report_target_get, report_target_type
from moderation.services.scans import (
    SCAN_OUTCOMES,
    ResolveOptions,
    content_hash,
    scan_perform,
    scan_request,
    scan_request_targets,
    scan_resolve,
    scan_resolve_check,
    scan_resolve_outcomes,
)

__all__ = [
    "REPORT_TARGET_MODELS",
    "SCAN_OUTCOMES",
    "FeedbackData",
    "ResolveOptions",
    "TermData",
    "appeal_create",
    "appeal_decide",
    "appeal_link_check",
    "appeal_link_request",
    "appeal_message_add",
    "appeal_refusal",
    "appeal_reviewer_refusal",
    "audit_record",
    "ban_evasion_check",
    "case_attach_scan",
    "case_decide",
    "case_open_for",
    "case_refresh",
    "content_hash",
    "convention_load",
    "feedback_close",
    "feedback_confirm",
    "feedback_reply",
    "feedback_submit",
    "penalties_expire",
    "penalty_apply",
    "penalty_describe",
    "penalty_lift",
    "penalty_proposal",
    "policy_config",
    "prior_violations",
    "report_create",
    "report_target_get",
    "report_target_type",
    "require_perm",
    "scan_perform",
    "scan_request",
    "scan_request_targets",
    "scan_resolve",
    "scan_resolve_check",
    "scan_resolve_outcomes",
    "term_clean",
    "term_create",
    "term_disable",
    "term_enable",
    "term_seed_load",
    "term_update",
]
