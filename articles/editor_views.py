"""The editors' side of the workflow: the dashboard at /editor/ and the review screen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from articles import services
from articles import workflow_selectors as wf
from articles.diff import diff_lines, has_changes
from articles.forms import (
    ArticleForm,
    EditorialCommentForm,
    NoteForm,
    ReasonForm,
    ScheduleForm,
    apply_service_errors,
)
from articles.mail.selectors import mail_dashboard_counts
from articles.models import Article
from articles.moderation import ArticleAdapter
from articles.rendering import markdown_to_html
from articles.submit_views import resolve_cover
from articles.trash import article_may_trash
from articles.workflow import allowed_transitions
from cms.errors import StateConflict
from cms.text import join_sentences
from moderation.services import scan_resolve_outcomes

DASHBOARD_PAGE_SIZE = 20
PERM_MODERATE = "moderation.moderate_content"


def editor_required(view):
    return login_required(permission_required(services.PERM_REVIEW, raise_exception=True)(view))


@editor_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The queues, each with its count; the selected queue listed page by page."""
    key = request.GET.get("queue", "new")
    if key not in wf.QUEUE_KEYS:
        key = "new"
    counts = wf.editor_queue_counts(user=request.user)
    page = Paginator(wf.editor_queue(user=request.user, key=key), DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    queues = [{"queue": queue, "count": counts[queue.key], "current": queue.key == key} for queue in wf.QUEUES]
    current = next(queue for queue in wf.QUEUES if queue.key == key)
    return render(
        request,
        "articles/editor/dashboard.html",
        # The e-mail submissions tab: how many wait, how many accepted ones are overdue.
        {"queues": queues, "current": current, "page": page, "mail_counts": mail_dashboard_counts()},
    )


def _revision_number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def review_reader_required(view):
    """The review screen is also open to moderators, read-only: they decide held articles
    from the moderation queue and need to see the article, its findings and its history.
    Only editors get the editorial actions (the services check again)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not (request.user.has_perm(services.PERM_REVIEW) or request.user.has_perm(PERM_MODERATE)):
            raise PermissionDenied(_("只有编辑和审核员可以查看审稿页面。"))
        return view(request, *args, **kwargs)

    return login_required(wrapped)


@review_reader_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    article = wf.article_for_review(pk=pk)
    read_only = not request.user.has_perm(services.PERM_REVIEW)
    revisions = wf.revision_list(article=article)
    old, new = wf.revision_pair(
        article=article, old=_revision_number(request.GET.get("from")), new=_revision_number(request.GET.get("to"))
    )
    diff = None
    if old is not None and new is not None:
        diff = {
            "old": old,
            "new": new,
            "title": diff_lines(old.title, new.title),
            "summary": diff_lines(old.summary, new.summary),
            "body": diff_lines(old.body, new.body),
        }
        diff["changed"] = any(has_changes(diff[part]) for part in ("title", "summary", "body"))
    scan = wf.article_scan(article=article)
    allowed = {str(t) for t in allowed_transitions(article.status)}
    if read_only:
        allowed &= {"unpublish"}  # a moderator may take a published article down
    schedule_initial = article.scheduled_at or (timezone.now() + timezone.timedelta(hours=1)).replace(
        minute=0, second=0, microsecond=0
    )
    return render(
        request,
        "articles/editor/review.html",
        {
            "article": article,
            "body_html": markdown_to_html(article.body),
            "tags": list(article.tags.all()),
            "revisions": revisions,
            "diff": diff,
            "scan": scan,
            # Which of 放行 / 转交 this person may do here, and why not (the service decides).
            "scan_options": scan_resolve_outcomes(actor=request.user, obj=article, record=scan.record),
            # What the scanner read (moderation highlights the findings in it).
            "scanned_title": ArticleAdapter(Article).get_title(article),
            "scanned_text": ArticleAdapter(Article).get_text(article),
            "threads": wf.editorial_threads(article=article),
            "history": wf.article_history(article=article),
            "allowed": allowed,
            "read_only": read_only,
            "is_claimant": article.claimed_by_id == request.user.pk,
            "may_unpublish": request.user.has_perm(services.PERM_UNPUBLISH),
            "may_trash": article_may_trash(actor=request.user, article=article),
            "comment_form": EditorialCommentForm(),
            "note_form": NoteForm(),
            "reason_form": ReasonForm(),
            "schedule_form": ScheduleForm(initial={"publish_at": timezone.localtime(schedule_initial)}),
        },
    )


@dataclass(frozen=True)
class Action:
    run: Callable[[HttpRequest, Article], object]
    done: object  # the success message, a lazy Chinese sentence


def _note(request: HttpRequest) -> str:
    form = NoteForm(request.POST)
    return form.cleaned_data["note"] if form.is_valid() else request.POST.get("note", "")


def _reason(request: HttpRequest) -> str:
    return request.POST.get("reason", "")


def _publish_at(request: HttpRequest):
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        raise ValidationError(form.errors["publish_at"][0])
    return form.cleaned_data["publish_at"]


ACTIONS: dict[str, Action] = {
    # An e-mailed manuscript's draft, handed on for its external submitter.
    "submit": Action(
        lambda r, a: services.article_submit(actor=r.user, article=a),
        gettext_lazy("已代投稿人提交审稿，文章进入“新投稿”队列，可以认领审稿了。"),
    ),
    "claim": Action(
        lambda r, a: services.article_claim(actor=r.user, article=a),
        gettext_lazy("已认领，现在由你审稿。作者和其他编辑都能看到这篇文章由你负责。"),
    ),
    "take-over": Action(
        lambda r, a: services.article_take_over(actor=r.user, article=a, reason=_reason(r)),
        gettext_lazy("已接手审稿，这次交接已记录。"),
    ),
    "request-changes": Action(
        lambda r, a: services.article_request_changes(actor=r.user, article=a, note=_note(r)),
        gettext_lazy("已请作者修改，修改意见已通过邮件发给作者。作者提交修改稿后会回到你的队列。"),
    ),
    "approve": Action(
        lambda r, a: services.article_approve(actor=r.user, article=a),
        gettext_lazy("已审核通过。接下来可以立即发布或安排定时发布。"),
    ),
    "schedule": Action(
        lambda r, a: services.article_schedule(actor=r.user, article=a, publish_at=_publish_at(r)),
        gettext_lazy("已安排定时发布，到点后自动发布并通知作者。"),
    ),
    "unschedule": Action(
        lambda r, a: services.article_unschedule(actor=r.user, article=a),
        gettext_lazy("已取消定时发布，文章回到“已通过”。"),
    ),
    "publish": Action(
        lambda r, a: services.article_publish(actor=r.user, article=a),
        gettext_lazy("已发布，读者现在可以在首页看到这篇文章。"),
    ),
    "unpublish": Action(
        lambda r, a: services.article_unpublish(actor=r.user, article=a, reason=_reason(r)),
        gettext_lazy("已下线，原因已通过邮件告知作者。"),
    ),
    "archive": Action(
        lambda r, a: services.article_archive(actor=r.user, article=a, reason=_reason(r)),
        gettext_lazy("已归档。"),
    ),
    "feature": Action(
        lambda r, a: services.article_set_featured(actor=r.user, article=a, featured=True),
        gettext_lazy("已设为推荐，会显示在首页的推荐位。"),
    ),
    "unfeature": Action(
        lambda r, a: services.article_set_featured(actor=r.user, article=a, featured=False),
        gettext_lazy("已取消推荐。"),
    ),
}


@login_required
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Run one workflow action from the review screen; say what happened, or why not."""
    spec = ACTIONS.get(name)
    if spec is None:
        raise Http404
    article = wf.article_for_review(pk=pk)
    try:
        spec.run(request, article)
    except ValidationError as error:
        messages.error(request, _("没有完成：") + join_sentences(error.messages))
    except StateConflict as error:
        messages.error(request, _("没有完成：") + str(error))
    except PermissionDenied as error:
        messages.error(request, _("没有完成：") + (str(error) or _("你没有执行这个操作的权限。")))
    else:
        messages.success(request, str(spec.done))
    return redirect("articles:editor_review", pk=pk)


@editor_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """An editor corrects the text (a new revision, scanned again)."""
    article = wf.article_for_review(pk=pk)
    if request.method == "POST":
        form = ArticleForm(request.POST, request.FILES)
        if form.is_valid() and resolve_cover(request, form):
            try:
                revision = services.article_edit(actor=request.user, article=article, content=form.to_content())
            except ValidationError as error:
                apply_service_errors(form, error)
            except (StateConflict, PermissionDenied) as error:
                messages.error(request, _("没有保存：") + str(error))
                return redirect("articles:editor_review", pk=pk)
            else:
                if revision is None:
                    messages.info(request, _("内容没有变化，没有生成新版本。"))
                else:
                    messages.success(request, _("已保存为第 %(n)s 版，并已重新提交内容扫描。") % {"n": revision.number})
                return redirect("articles:editor_review", pk=pk)
        messages.error(request, _("有几处需要修改，见下方红字。你改的内容都还在。"))
        status = 400
    else:
        form = ArticleForm(initial=ArticleForm.initial_for(article))
        status = 200
    return render(
        request,
        "articles/editor/edit.html",
        {"form": form, "article": article, "preview_html": markdown_to_html(form["body"].value() or "")},
        status=status,
    )


def resolve_scan_from_screen(request: HttpRequest, *, obj, escalated_message: str) -> None:
    """放行 / 转交 from an editor's screen (article review, mail triage): one call of
    moderation's scan_resolve, which decides who may do what, and a message saying what
    happened or why not."""
    from moderation.services import scan_resolve as resolve

    outcome = request.POST.get("outcome", "")
    if outcome not in ("dismiss", "escalate"):
        messages.error(request, _("请选择“放行”或“转交社区治理”。"))
        return
    try:
        resolve(actor=request.user, obj=obj, outcome=outcome, reason=request.POST.get("reason", ""))
    except (ValidationError, StateConflict, PermissionDenied) as error:
        text = join_sentences(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, _("没有完成：") + (text or _("你没有执行这个操作的权限。")))
    else:
        if outcome == "dismiss":
            messages.success(request, _("已放行扫描结果，暂扣已解除，理由已记入操作记录。"))
        else:
            messages.success(request, escalated_message)


@login_required
@require_POST
def scan_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Dismiss the latest scan's findings (releases the hold) or send them to moderation."""
    article = wf.article_for_review(pk=pk)
    resolve_scan_from_screen(request, obj=article, escalated_message=_("已转交社区治理，审核员处理之前文章保持暂扣。"))
    return redirect("articles:editor_review", pk=pk)
