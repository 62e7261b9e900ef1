"""The editors' triage of e-mail submissions, under /editor/mail/: the queues, one
submission (text, attachments, scan findings, thread, history, actions), attachments and
raw messages to download, quarantined messages to retry. Editors only — except that
moderators may read a submission, its files and its raw message (they decide what the
scanner escalated, from the moderation queue, which links here); the services check again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.editor_views import editor_required, resolve_scan_from_screen, review_reader_required
from articles.mail import selectors as mail
from articles.mail import services
from articles.mail.ingest import submission_retry
from articles.mail.models import IngestOutcome, Submission, SubmissionAttachment
from cms.errors import StateConflict
from cms.text import join_sentences

PAGE_SIZE = 20
# Raster images a browser shows as images and nothing else; anything else (SVG, HTML under
# an image label…) is only ever downloaded.
PREVIEWABLE_IMAGES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
DATE_FORMAT = "n月j日 H:i"


def _refusal(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return join_sentences(error.messages)
    return str(error) or _("你没有执行这个操作的权限。")


@editor_required
def queue(request: HttpRequest) -> HttpResponse:
    key = request.GET.get("queue", "new")
    if key not in mail.MAIL_QUEUE_KEYS:
        key = "new"
    counts = mail.mail_queue_counts()
    rows = mail.quarantined_messages() if key == "quarantined" else mail.mail_queue(key=key)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    queues = [{"queue": q, "count": counts[q.key], "current": q.key == key} for q in mail.MAIL_QUEUES]
    current = next(q for q in mail.MAIL_QUEUES if q.key == key)
    if key != "quarantined":
        page.object_list = list(page.object_list)
        for submission in page.object_list:
            submission.overdue = mail.is_overdue(submission)
    return render(
        request,
        "articles/editor/mail_queue.html",
        {"queues": queues, "current": current, "page": page, "overdue_count": counts["overdue"]},
    )


def _default_accept_message(user) -> str:
    return _(
        "你好，我是%(site)s的编辑%(editor)s。你的稿件我们读过了，准备采用。"
        "我会先整理一版编辑意见发给你，有几处细节想和你确认。"
    ) % {"site": settings.SITE_NAME, "editor": user.display_name}


@review_reader_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    from moderation.selectors import findings_for, scan_latest
    from moderation.services import scan_resolve_outcomes

    submission = mail.submission_for_triage(pk=pk)
    record = scan_latest(submission)
    attachments = list(submission.attachments.all())
    return render(
        request,
        "articles/editor/mail_detail.html",
        {
            "submission": submission,
            "attachments": attachments,
            "images": [a for a in attachments if a.file and a.content_type in PREVIEWABLE_IMAGES],
            "scan_record": record,
            "findings": findings_for(submission) if record else [],
            "scan_options": scan_resolve_outcomes(actor=request.user, obj=submission, record=record),
            "thread": mail.submission_thread(submission=submission),
            "history": mail.submission_history(submission=submission),
            "overdue": mail.is_overdue(submission),
            "editors": mail.contact_editor_choices(),
            "default_message": _default_accept_message(request.user),
            "account": services.sender_account(submission),
            "read_only": not request.user.has_perm(services.PERM_REVIEW),
        },
    )


@dataclass(frozen=True)
class Action:
    run: Callable[[HttpRequest, Submission], object]
    done: Callable[[Submission], str]


def _contact_editor(request: HttpRequest):
    value = request.POST.get("contact_editor", "")
    if not value:
        return None
    if not value.isdigit():
        raise ValidationError({"contact_editor": _("请选择一位联系编辑。")})
    return get_object_or_404(get_user_model(), pk=int(value))


def _accepted(submission: Submission) -> str:
    return _(
        "已采用：草稿《%(title)s》已创建，署名“%(byline)s”。联系编辑是 %(editor)s，"
        "请在 %(due)s 前与投稿人联系；给投稿人的邮件已发出。"
    ) % {
        "title": submission.article.title,
        "byline": submission.article.byline,
        "editor": submission.contact_editor.display_name,
        "due": dateformat.format(timezone.localtime(submission.contact_due_at), DATE_FORMAT),
    }


ACTIONS: dict[str, Action] = {
    "accept": Action(
        lambda r, s: services.submission_accept(
            actor=r.user, submission=s, message=r.POST.get("message", ""), contact_editor=_contact_editor(r)
        ),
        _accepted,
    ),
    "reject": Action(
        lambda r, s: services.submission_reject(actor=r.user, submission=s, message=r.POST.get("message", "")),
        lambda s: _("已退稿，已写信告诉投稿人。"),
    ),
    "spam": Action(
        lambda r, s: services.submission_mark_spam(actor=r.user, submission=s),
        lambda s: _("已标为垃圾邮件，不会回复发件人。"),
    ),
    "contacted": Action(
        lambda r, s: services.submission_record_contact(actor=r.user, submission=s),
        lambda s: _("已记录首次联系，这份投稿不再计入逾期。"),
    ),
}


@login_required
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    spec = ACTIONS.get(name)
    if spec is None:
        raise Http404
    submission = mail.submission_for_triage(pk=pk)
    try:
        result = spec.run(request, submission)
    except (ValidationError, StateConflict, PermissionDenied) as error:
        messages.error(request, _("没有完成：") + _refusal(error))
        return redirect("articles:editor_mail_detail", pk=pk)
    messages.success(request, spec.done(result))
    if name == "accept":
        return redirect("articles:editor_review", pk=result.article_id)
    return redirect("articles:editor_mail_detail", pk=pk)


@login_required
@require_POST
def scan_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Release what the scanner held (a reason is required), or send it to the moderators."""
    submission = mail.submission_for_triage(pk=pk)
    resolve_scan_from_screen(
        request, obj=submission, escalated_message=_("已转交社区治理，审核员处理之前这份投稿不能采用。")
    )
    return redirect("articles:editor_mail_detail", pk=pk)


def _private(response: HttpResponse) -> HttpResponse:
    # What strangers sent: never cached by a proxy, never run as a page.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@review_reader_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """An attachment, for editors and moderators only: raster images inline with ?inline=1 (the preview),
    everything else as a download."""
    item = get_object_or_404(SubmissionAttachment, pk=pk)
    if not item.file:
        raise Http404(item.skipped_reason or _("这个附件没有单独保存，它仍在原始邮件里。"))
    inline = request.GET.get("inline") == "1" and item.content_type in PREVIEWABLE_IMAGES
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=not inline,
        filename=item.filename,
        content_type=item.content_type if inline else "application/octet-stream",
    )
    return _private(response)


@review_reader_required
def raw_message(request: HttpRequest, pk: int) -> HttpResponse:
    """The message exactly as it arrived (.eml), to look at what the parser could not read."""
    inbound = mail.inbound_for_triage(pk=pk)
    response = HttpResponse(bytes(inbound.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="message-{inbound.pk}.eml"'
    return _private(response)


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Parse a quarantined message again (after the parser was fixed)."""
    inbound = mail.inbound_for_triage(pk=pk)
    try:
        result = submission_retry(inbound_message=inbound, actor=request.user)
    except (StateConflict, PermissionDenied) as error:
        messages.error(request, _("没有完成：") + _refusal(error))
        return redirect(f"{_queue_url()}?queue=quarantined")
    if result.outcome == IngestOutcome.QUARANTINED:
        messages.error(request, _("仍然无法解析，邮件继续隔离：%(reason)s") % {"reason": result.reason})
        return redirect(f"{_queue_url()}?queue=quarantined")
    messages.success(request, _("已重新解析：%(outcome)s。") % {"outcome": IngestOutcome(result.outcome).label})
    if result.submission_id and result.outcome in (IngestOutcome.SUBMISSION, IngestOutcome.SUBMISSION_EMPTY):
        return redirect("articles:editor_mail_detail", pk=result.submission_id)
    return redirect(f"{_queue_url()}?queue=quarantined")


def _queue_url() -> str:
    from django.urls import reverse

    return reverse("articles:editor_mail")
