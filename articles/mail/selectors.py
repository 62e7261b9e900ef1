"""Reads for the editors' triage of e-mail submissions: the queues and their counts, one
submission with its thread and history, the quarantined messages. Each function costs a
fixed number of queries, whatever the data."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.mail.models import InboundMessage, InboundStatus, Submission, SubmissionAttachment, SubmissionStatus
from articles.workflow_selectors import Queue  # one shape for every editor queue tab

S = SubmissionStatus


MAIL_QUEUES = (
    Queue("new", _("待处理"), _("新收到的邮件投稿，最新的在前。采用、退稿或标为垃圾邮件。")),
    Queue("overdue", _("逾期未联系"), _("已采用，但联系编辑还没有在期限内联系投稿人。")),
    Queue("accepted", _("已采用"), _("已采用并创建了草稿的投稿，联系期限最近的在前。")),
    Queue("rejected", _("未采用"), _("已退稿的投稿。")),
    Queue("spam", _("垃圾邮件"), _("标为垃圾邮件的投稿（没有回复投稿人）。")),
    Queue("quarantined", _("隔离邮件"), _("无法解析的邮件：原始邮件已保存，查看原因，修复后可以重新解析。")),
)
MAIL_QUEUE_KEYS = [queue.key for queue in MAIL_QUEUES]


def _overdue(now) -> Q:
    return Q(status=S.ACCEPTED, contacted_at__isnull=True, contact_due_at__lt=now)


def _filters(now) -> dict[str, Q]:
    return {
        "new": Q(status=S.NEW),
        "overdue": _overdue(now),
        "accepted": Q(status=S.ACCEPTED),
        "rejected": Q(status=S.REJECTED),
        "spam": Q(status=S.SPAM),
    }


def mail_queue_counts() -> dict[str, int]:
    """How many submissions are in each queue, and how many messages are quarantined — two
    queries."""
    now = timezone.now()
    counts = Submission.objects.aggregate(**{key: Count("id", filter=q) for key, q in _filters(now).items()})
    counts["quarantined"] = InboundMessage.objects.filter(status=InboundStatus.QUARANTINED).count()
    return counts


def mail_dashboard_counts() -> dict[str, int]:
    """What the /editor/ tab shows: submissions waiting, and accepted ones overdue — one query."""
    now = timezone.now()
    return Submission.objects.aggregate(
        new=Count("id", filter=Q(status=S.NEW)), overdue=Count("id", filter=_overdue(now))
    )


def _with_attachments(queryset: QuerySet[Submission]) -> QuerySet[Submission]:
    return queryset.select_related("inbound", "contact_editor", "decided_by", "article").prefetch_related(
        Prefetch("attachments", queryset=SubmissionAttachment.objects.order_by("position", "pk"))
    )


def mail_queue(*, key: str) -> QuerySet[Submission]:
    """The submissions of one queue (not "quarantined": see quarantined_messages)."""
    ordering = {
        "new": ["-created_at", "-id"],
        "overdue": ["contact_due_at", "id"],
        "accepted": ["contact_due_at", "id"],
        "rejected": ["-decided_at", "-id"],
        "spam": ["-decided_at", "-id"],
    }[key]
    queryset = Submission.objects.filter(_filters(timezone.now())[key]).defer("inbound__raw")
    return _with_attachments(queryset).order_by(*ordering)


def submissions_for_api() -> QuerySet[Submission]:
    """Every submission, new first and then newest first, with its attachments."""
    new_first = Case(When(status=S.NEW, then=Value(0)), default=Value(1), output_field=IntegerField())
    return _with_attachments(Submission.objects.defer("inbound__raw")).order_by(new_first, "-created_at", "-id")


def submission_for_triage(*, pk: int) -> Submission:
    return get_object_or_404(_with_attachments(Submission.objects.defer("inbound__raw")), pk=pk)


def submission_thread(*, submission: Submission) -> list[Submission]:
    """The whole thread the submission belongs to (its first message and every reply),
    oldest first — one query. A submission alone is a thread of one."""
    root_id = submission.thread_parent_id or submission.pk
    return list(
        Submission.objects.filter(Q(pk=root_id) | Q(thread_parent_id=root_id))
        .only("id", "title", "status", "created_at", "thread_parent_id", "sender_email")
        .order_by("created_at", "id")
    )


def is_overdue(submission: Submission) -> bool:
    return bool(
        submission.status == S.ACCEPTED
        and submission.contacted_at is None
        and submission.contact_due_at
        and submission.contact_due_at < timezone.now()
    )


def quarantined_messages() -> QuerySet[InboundMessage]:
    """Messages a person has to look at, newest first, without their bytes."""
    return InboundMessage.objects.filter(status=InboundStatus.QUARANTINED).defer("raw").order_by("-received_at", "-id")


def inbound_for_triage(*, pk: int) -> InboundMessage:
    return get_object_or_404(InboundMessage, pk=pk)


SUBMISSION_AUDIT_LABELS = {
    "submission.receive": _("收到邮件"),
    "submission.accept": _("采用"),
    "submission.reject": _("退稿"),
    "submission.spam": _("标为垃圾邮件"),
    "submission.contact": _("记录首次联系"),
    "scan.hold": _("扫描暂扣"),
    "scan.release": _("解除暂扣"),
    "scan.dismiss": _("放行扫描结果"),
    "scan.escalate": _("转交社区治理"),
    "scan.remove": _("审核员删除"),
    "case.open": _("进入社区治理案件"),
    "case.hide": _("审核员暂时隐藏"),
    "case.dismiss": _("审核员驳回案件"),
    "case.remove": _("审核员删除"),
}


def submission_history(*, submission: Submission, limit: int = 50):
    """The audit entries about this submission, newest first, each with a Chinese `label`."""
    from moderation.selectors import audit_history

    return audit_history(submission, labels=SUBMISSION_AUDIT_LABELS, limit=limit)


def contact_editor_choices():
    """Active people who hold articles.review_article (through a role or directly), by user
    name: who can be named as a submitter's contact."""
    from django.contrib.auth import get_user_model

    perm = {"permissions__codename": "review_article", "permissions__content_type__app_label": "articles"}
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(**{f"groups__{key}": value for key, value in perm.items()})
            | Q(**{f"user_{key}": value for key, value in perm.items()})
        )
        .distinct()
        .order_by("username")
    )
