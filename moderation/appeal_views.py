"""The moderators' side of appeals and feedback: the appeal queue (oldest first, with its
age), one appeal's review page (evidence, conversation, decision), and the staff queue of
suggestions, bugs and copyright complaints with replies by e-mail."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.errors import StateConflict
from moderation.appeal_selectors import appeal_queue, appeal_queue_counts, feedback_queue
from moderation.feedback_forms import AppealDecisionForm, MessageForm, ReplyForm
from moderation.models import Appeal, Feedback, FeedbackAttachment, FeedbackKind, FeedbackStatus, PenaltyStep
from moderation.services import (
    appeal_decide,
    appeal_message_add,
    appeal_reviewer_refusal,
    feedback_close,
    feedback_reply,
)
from moderation.views import permission_any

PAGE_SIZE = 20


def _message(exc: Exception) -> str:
    return exc.messages[0] if isinstance(exc, ValidationError) else str(exc)


@permission_any("moderation.moderate_content")
def appeals_queue(request):
    status = request.GET.get("status", "")
    page = Paginator(appeal_queue(status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "counts": appeal_queue_counts()}
    return render(request, "moderation/feedback/appeal_queue.html", context)


@permission_any("moderation.moderate_content")
def appeal_review(request, pk: int):
    appeal = get_object_or_404(Appeal.objects.select_related("penalty", "penalty__case", "user", "replacement"), pk=pk)
    refusal = appeal_reviewer_refusal(actor=request.user, appeal=appeal)
    penalty = appeal.penalty
    context = {
        "appeal": appeal,
        "penalty": penalty,
        "evidence": appeal.evidence,
        "messages_list": list(appeal.messages.select_related("author")),
        "refusal": refusal,
        "ask_form": MessageForm(),
        "decision_form": AppealDecisionForm(),
        "lower_steps": [(value, label) for value, label in PenaltyStep.choices if value < penalty.step],
    }
    return render(request, "moderation/feedback/appeal_review.html", context)


@require_POST
@permission_any("moderation.moderate_content")
def appeal_ask(request, pk: int):
    appeal = get_object_or_404(Appeal, pk=pk)
    form = MessageForm(request.POST)
    form.is_valid()
    try:
        appeal_message_add(actor=request.user, appeal=appeal, text=form.cleaned_data.get("text", ""))
    except (ValidationError, StateConflict, PermissionDenied) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("问题已发给申诉人，对方回复后会通知你。"))
    return redirect("feedback:review", pk=pk)


@require_POST
@permission_any("moderation.moderate_content")
def appeal_decide_view(request, pk: int):
    appeal = get_object_or_404(Appeal, pk=pk)
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结果；减轻时还要选择减轻后的处罚。"))
        return redirect("feedback:review", pk=pk)
    try:
        result = appeal_decide(
            actor=request.user,
            appeal=appeal,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            step=form.cleaned_data["step"],
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("feedback:review", pk=pk)
    except (ValidationError, StateConflict) as exc:
        messages.error(request, _message(exc))
        return redirect("feedback:review", pk=pk)
    text = _("已做出决定：%(outcome)s。申诉人会收到通知和邮件。") % {"outcome": result.appeal.get_outcome_display()}
    if result.content_restored:
        text += _("被删除的内容已恢复。")
    messages.success(request, text)
    return redirect("feedback:review", pk=pk)


@permission_any("moderation.view_feedback")
def feedback_queue_view(request):
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    page = Paginator(feedback_queue(kind=kind, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = [(value, label) for value, label in FeedbackKind.choices if value not in ("report", "appeal")]
    context = {"page": page, "kind": kind, "status": status, "kinds": kinds, "statuses": FeedbackStatus.choices}
    return render(request, "moderation/feedback/queue.html", context)


@permission_any("moderation.view_feedback")
def feedback_item(request, pk: int):
    feedback = get_object_or_404(Feedback.objects.select_related("user", "case"), pk=pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST":
        form.is_valid()
        try:
            if request.POST.get("action") == "close":
                feedback_close(actor=request.user, feedback=feedback)
                messages.success(request, _("已标记为处理完毕。"))
            else:
                feedback_reply(actor=request.user, feedback=feedback, text=form.cleaned_data.get("text", ""))
                messages.success(request, _("回复已保存，并会发到提交人的邮箱 %(email)s。") % {"email": feedback.email})
        except (ValidationError, StateConflict, PermissionDenied) as exc:
            messages.error(request, _message(exc))
        return redirect("feedback:item", pk=pk)
    context = {"feedback": feedback, "attachments": list(feedback.attachments.all()), "form": form}
    return render(request, "moderation/feedback/item.html", context)


@permission_any("moderation.view_feedback")
def feedback_attachment(request, pk: int):
    """Attachments are served only here, to staff, as downloads (never rendered inline by
    name from MEDIA_URL: a proof of rights can carry personal data)."""
    attachment = get_object_or_404(FeedbackAttachment, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("附件文件不存在。")) from None
    response = FileResponse(handle, content_type=attachment.content_type, as_attachment=False, filename=attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
