"""Moderation's models, one module per concern (Wagtail's models/ package layout):

- convention: ConventionVersion, RuleCategory, Rule
- lexicon: Term, LexiconState
- scans: ScanRecord, Finding
- audit: AuditEntry
- cases: Report, Case (reports and scan findings gathered per target)
- penalties: Penalty
- appeals: Appeal, AppealMessage (a penalised person asks for another look)
- feedback: Feedback, FeedbackAttachment (the 建议反馈 page's items)
- text_models: TextModelVersion, TextModelDryRun, TextModelState (the scanner's model stage)
"""

from moderation.models.appeals import Appeal, AppealMessage, AppealMessageRole, AppealOutcome, AppealStatus
from moderation.models.audit import AuditEntry
from moderation.models.base import user_link
from moderation.models.cases import Aggravation, Case, CaseDecision, CaseStatus, Report, ReportStatus
from moderation.models.convention import ConventionVersion, Rule, RuleCategory, Severity
from moderation.models.feedback import Feedback, FeedbackAttachment, FeedbackKind, FeedbackStatus, Infringement
from moderation.models.lexicon import LexiconState, Term, TermAction
from moderation.models.penalties import Penalty, PenaltyStatus, PenaltyStep
from moderation.models.scans import UNRESOLVED_STATUSES, Finding, ResolverRole, ScanRecord, ScanStatus, Verdict
from moderation.models.text_models import (
    TextModelDryRun,
    TextModelOrigin,
    TextModelState,
    TextModelStatus,
    TextModelVersion,
)

__all__ = [
    "UNRESOLVED_STATUSES",
    "Aggravation",
    "Appeal",
    "AppealMessage",
    "AppealMessageRole",
    "AppealOutcome",
    "AppealStatus",
    "AuditEntry",
    "Case",
    "CaseDecision",
    "CaseStatus",
    "ConventionVersion",
    "Feedback",
    "FeedbackAttachment",
    "FeedbackKind",
    "FeedbackStatus",
    "Finding",
    "Infringement",
    "LexiconState",
    "Penalty",
    "PenaltyStatus",
    "PenaltyStep",
    "Report",
    "ReportStatus",
    "ResolverRole",
    "Rule",
    "RuleCategory",
    "ScanRecord",
    "ScanStatus",
    "Severity",
    "Term",
    "TermAction",
    "TextModelDryRun",
    "TextModelOrigin",
    "TextModelState",
    "TextModelStatus",
    "TextModelVersion",
    "Verdict",
    "user_link",
]
