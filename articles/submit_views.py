"""The author's side of the workflow: /submit/ (write, save, submit), the autosave and
preview endpoints, "my articles", and answering the editors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.ratelimit import RateLimited
from articles import services
from articles import workflow_selectors as wf
from articles.forms import ArticleForm, AutosaveForm, EditorialCommentForm, apply_service_errors
from articles.images import services as image_services
from articles.models import Article, ArticleStatus, EditorialComment
from articles.rendering import markdown_to_html
from articles.workflow import Transition, can, status_label
from cms.errors import StateConflict
from cms.next_url import safe_next_url
from cms.text import join_sentences

PREVIEW_MAX_CHARS = 100_000


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return join_sentences(error.messages)
    return str(error) or _("没有权限执行这个操作。")


def _own_article(request: HttpRequest, pk: int) -> Article:
    article = get_object_or_404(Article.objects.select_related("claimed_by"), pk=pk)
    if article.author_id != request.user.pk:
        raise PermissionDenied(_("这不是你的文章。"))
    return article


def _author_may_edit(article: Article) -> bool:
    """Drafts and change requests are the author's to change; a submission until it is claimed."""
    return can(article.status, Transition.SAVE_DRAFT) or article.status == ArticleStatus.SUBMITTED


def _saved_message(revision) -> str:
    now = timezone.localtime().strftime("%H:%M")
    if revision is None:
        return _("已保存（%(time)s），内容没有变化。") % {"time": now}
    return _("已保存（%(time)s），这是第 %(n)s 版。") % {"time": now, "n": revision.number}


def _save(request: HttpRequest, article: Article | None, content: services.ArticleContent):
    """Create or save the article with `content`; returns (article, revision)."""
    if article is None:
        article = services.article_create_draft(actor=request.user, content=content)
        return article, article.revisions.order_by("-number").first()
    if can(article.status, Transition.SAVE_DRAFT):
        return article, services.article_save_draft(actor=request.user, article=article, content=content)
    return article, services.article_edit(actor=request.user, article=article, content=content)


def resolve_cover(request: HttpRequest, form: ArticleForm) -> bool:
    """Turn the form's cover (a new upload, or a library image picked) into the library
    image the save will use (form.resolved_cover). False, with the error on the form's
    cover field, when that cannot be done; the text is saved all the same."""
    form.resolved_cover = None
    upload = form.cleaned_data.get("cover")
    picked = form.cleaned_data.get("cover_image")
    try:
        if upload:
            form.resolved_cover = image_services.image_upload(actor=request.user, upload=upload)
        elif picked:
            form.resolved_cover = image_services.image_for_article(actor=request.user, image_id=picked)
    except (ValidationError, PermissionDenied, RateLimited) as error:
        form.add_error("cover", _error_text(error))
        return False
    return True


def _render_form(request: HttpRequest, form: ArticleForm, article: Article | None, *, status: int = 200):
    threads = wf.editorial_threads(article=article) if article else []
    body = form["body"].value() or ""
    return render(
        request,
        "articles/submit_form.html",
        {
            "form": form,
            "article": article,
            "threads": threads,
            "comment_form": EditorialCommentForm(),
            "preview_html": markdown_to_html(body[:PREVIEW_MAX_CHARS]),
            "can_submit": article is None or can(article.status, Transition.SUBMIT),
            "resubmitting": article is not None and article.status == ArticleStatus.CHANGES_REQUESTED,
        },
        status=status,
    )


def author_submit(request: HttpRequest, article: Article | None = None) -> HttpResponse:
    """The submission form: a new article (/submit/) or one being worked on (/submit/<id>/edit/)."""
    if request.method != "POST":
        initial = ArticleForm.initial_for(article) if article else {"byline": request.user.pen_name}
        return _render_form(request, ArticleForm(initial=initial), article)

    if article is None:
        # Autosave may already have created this draft (the form then carries its number).
        known = request.POST.get("article", "")
        if known.isdigit():
            article = Article.objects.filter(pk=int(known), author=request.user).first()
            if article is not None and not _author_may_edit(article):
                messages.error(request, _("这篇文章已经交给编辑，不能再从这里修改。"))
                return redirect("articles:submit_detail", pk=article.pk)
    form = ArticleForm(request.POST, request.FILES)
    valid = form.is_valid()
    # The cover's own fields (an upload, a library pick) never cost the text.
    cover_only = not valid and set(form.errors) <= {"cover", "cover_image"}
    if valid and not resolve_cover(request, form):
        cover_only = True
    if not valid and not cover_only:
        messages.error(request, _("有几处需要修改，见下方红字。你写的内容都还在，改好后再保存。"))
        return _render_form(request, form, article, status=400)
    try:
        # A bad cover must not cost the text: save the text, report the cover.
        article, revision = _save(request, article, form.to_content(include_cover=not cover_only))
    except ValidationError as error:
        apply_service_errors(form, error)
        messages.error(request, _("有几处需要修改，见下方红字。你写的内容都还在，改好后再保存。"))
        return _render_form(request, form, article, status=400)
    except (StateConflict, PermissionDenied) as error:
        messages.error(request, _error_text(error))
        return redirect("articles:submit_detail", pk=article.pk) if article else redirect("articles:submit_mine")
    if cover_only:
        messages.warning(
            request,
            _("文字已保存，但封面图没有保存：%(error)s")
            % {"error": " ".join(form.errors.get("cover", []) or [_("请重新选择封面。")])},
        )
        return _render_form(request, form, article, status=400)

    if request.POST.get("action") == "submit":
        resubmitting = article.status == ArticleStatus.CHANGES_REQUESTED
        try:
            services.article_submit(actor=request.user, article=article, note=form.cleaned_data.get("note", ""))
        except ValidationError as error:
            apply_service_errors(form, error)
            messages.warning(request, _("草稿已保存，但还不能投稿：请补全下方标红的内容。"))
            return _render_form(request, form, article, status=400)
        except (StateConflict, PermissionDenied) as error:
            messages.error(request, _error_text(error))
            return redirect("articles:submit_detail", pk=article.pk)
        if resubmitting:
            messages.success(request, _("修改稿已提交给审稿编辑，请留意编辑的回复。"))
        else:
            messages.success(request, _("投稿成功！编辑会尽快审阅，我们也给你发了一封确认邮件。"))
        return redirect("articles:submit_detail", pk=article.pk)

    messages.success(request, _saved_message(revision))
    return redirect("articles:submit_edit", pk=article.pk)


@login_required
def submit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm(services.PERM_SUBMIT):
        raise PermissionDenied(_("只有加入作者计划的作者才能在网页上写文章。"))
    article = _own_article(request, pk)
    if article.trashed_at is not None:
        messages.info(request, _("这篇草稿在回收站里。恢复以后才能继续写。"))
        return redirect("articles:trash")
    if not _author_may_edit(article):
        messages.info(
            request,
            _("文章当前状态为「%(status)s」，不能再修改；需要改动请给编辑留言。")
            % {"status": status_label(article.status)},
        )
        return redirect("articles:submit_detail", pk=article.pk)
    return author_submit(request, article)


@login_required
def submit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Where an author follows one article: status, the editors' notes, the text as it will look."""
    article = _own_article(request, pk)
    return render(
        request,
        "articles/submit_detail.html",
        {
            "article": article,
            "threads": wf.editorial_threads(article=article),
            "comment_form": EditorialCommentForm(),
            "body_html": markdown_to_html(article.body),
            "tags": list(article.tags.all()),
            "may_edit": _author_may_edit(article),
        },
    )


@login_required
def submit_mine(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(services.PERM_SUBMIT):
        return render(request, "accounts/submit_notice.html")
    from articles.trash import article_may_trash, article_trash_list

    articles = list(wf.author_articles(user=request.user)[:200])
    for article in articles:
        article.may_edit = _author_may_edit(article)
        article.may_trash = article_may_trash(actor=request.user, article=article)
    groups = [
        {"label": label, "articles": [a for a in articles if a.status in statuses]}
        for label, statuses in wf.AUTHOR_STATUS_GROUPS
    ]
    context = {
        "articles": articles,
        "groups": [group for group in groups if group["articles"]],
        "trash_count": article_trash_list(user=request.user).filter(author=request.user).count(),
    }
    return render(request, "articles/submit_mine.html", context)


@login_required
@require_POST
def submit_preview(request: HttpRequest) -> HttpResponse:
    """The rendered Markdown of what is being typed (htmx swaps it into the preview pane)."""
    body = request.POST.get("body", "")[:PREVIEW_MAX_CHARS]
    return render(request, "articles/includes/preview.html", {"preview_html": markdown_to_html(body)})


@login_required
@require_POST
def submit_autosave(request: HttpRequest) -> JsonResponse:
    """Save the text of the form (no file) as the author types. Answers JSON:
    {"ok", "article", "edit_url", "saved_at", "message"} or {"ok": false, "message", "errors"}."""
    if not request.user.has_perm(services.PERM_SUBMIT):
        return JsonResponse({"ok": False, "message": _("只有作者可以保存草稿。")}, status=403)
    article = None
    article_id = request.POST.get("article", "")
    if article_id:
        if not article_id.isdigit():
            return JsonResponse({"ok": False, "message": _("草稿编号无效。")}, status=400)
        article = Article.objects.filter(pk=int(article_id), author=request.user).first()
        if article is None:
            return JsonResponse({"ok": False, "message": _("找不到这篇草稿。")}, status=404)
        if not _author_may_edit(article):
            return JsonResponse(
                {
                    "ok": False,
                    "message": _("文章已进入「%(s)s」状态，不再自动保存。") % {"s": status_label(article.status)},
                },
                status=409,
            )
    form = AutosaveForm(request.POST)
    if not form.is_valid():
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse(
            {"ok": False, "message": _("自动保存失败：有内容不符合要求，请看表单提示后手动保存。"), "errors": errors},
            status=400,
        )
    if article is None and not (form.cleaned_data.get("title") or form.cleaned_data.get("body", "").strip()):
        return JsonResponse({"ok": True, "article": None, "message": ""})
    try:
        article, _revision = _save(request, article, form.to_content(include_cover=False))
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        return JsonResponse(
            {"ok": False, "message": _("自动保存失败：") + _error_text(error), "errors": errors}, status=400
        )
    except (StateConflict, PermissionDenied) as error:
        return JsonResponse({"ok": False, "message": _error_text(error)}, status=409)
    saved_at = timezone.localtime().strftime("%H:%M")
    return JsonResponse(
        {
            "ok": True,
            "article": article.pk,
            "edit_url": reverse("articles:submit_edit", kwargs={"pk": article.pk}),
            "saved_at": saved_at,
            "message": _("已自动保存 %(time)s") % {"time": saved_at},
        }
    )


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    return redirect(safe_next_url(request, request.POST.get("next"), fallback))


@login_required
@require_POST
def editorial_comment_post(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a note (or a reply) to an article's editorial thread — authors and editors alike."""
    article = get_object_or_404(Article, pk=pk)
    form = EditorialCommentForm(request.POST)
    fallback = reverse("articles:submit_detail", kwargs={"pk": pk})
    if request.user.has_perm(services.PERM_REVIEW):
        fallback = reverse("articles:editor_review", kwargs={"pk": pk})
    if not form.is_valid():
        messages.error(request, _("留言不能为空，最多 2000 字。"))
        return _back(request, fallback)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = EditorialComment.objects.filter(pk=form.cleaned_data["parent"], article=article).first()
    try:
        services.editorial_comment_add(
            actor=request.user, article=article, body=form.cleaned_data["body"], parent=parent
        )
    except (ValidationError, StateConflict, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("留言已发布。"))
    return _back(request, fallback)


@login_required
@require_POST
def editorial_comment_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(EditorialComment, pk=pk)
    try:
        services.editorial_comment_resolve(actor=request.user, comment=comment)
    except (ValidationError, StateConflict, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("讨论已标记为解决。"))
    return _back(request, reverse("articles:submit_detail", kwargs={"pk": comment.article_id}))
