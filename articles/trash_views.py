"""Deleting drafts (to the trash, with a confirmation step that needs no JavaScript), the
trash page with 恢复, and an editor setting an article's address. The rules are in
articles.trash and articles.addresses; these views ask, call, and say what happened."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles import trash
from articles.addresses import article_set_slug
from articles.models import Article, ArticleStatus
from cms.errors import StateConflict
from cms.next_url import safe_next_url
from cms.text import join_sentences


def _title(article: Article) -> str:
    return article.title or _("无标题草稿")


def _where_after(request: HttpRequest, article: Article) -> str:
    """Back to where the person works on the article: their list, or the review screen."""
    if article.author_id == request.user.pk:
        return reverse("articles:submit_mine")
    return reverse("articles:editor_review", kwargs={"pk": article.pk})


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return join_sentences(error.messages)
    return str(error)


@login_required
def article_trash_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what deleting means, and the button. POST with confirm=yes: move to the trash."""
    article = get_object_or_404(Article.objects.select_related("author"), pk=pk)
    fallback = _where_after(request, article)
    try:
        trash.article_trash_check(actor=request.user, article=article)
    except StateConflict as error:
        # Allowed in principle, not now (published, in review, already in the trash): say why.
        messages.error(request, _error_text(error))
        return redirect(safe_next_url(request, request.POST.get("next") or request.GET.get("next"), fallback))
    context = {"article": article, "title": _title(article), "days": trash.TRASH_DAYS, "next": fallback}
    if request.method != "POST":
        return render(request, "articles/trash_confirm.html", context)
    if request.POST.get("confirm") != "yes":
        context["error"] = _("还没有确认。请勾选确认，再点“移到回收站”。")
        return render(request, "articles/trash_confirm.html", context, status=400)
    try:
        article = trash.article_trash(actor=request.user, article=article)
    except (PermissionDenied, StateConflict) as error:
        messages.error(request, _error_text(error))
        return redirect(fallback)
    return redirect(f"{reverse('articles:trash')}?trashed={article.pk}")


@login_required
@require_POST
def article_restore(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    try:
        article = trash.article_restore(actor=request.user, article=article)
    except (PermissionDenied, StateConflict) as error:
        messages.error(request, _error_text(error))
        return redirect("articles:trash")
    if article.status == ArticleStatus.DRAFT and article.author_id == request.user.pk:
        messages.success(request, _("《%(title)s》已恢复，回到了你的草稿里。") % {"title": _title(article)})
        return redirect("articles:submit_mine")
    messages.success(
        request,
        _("《%(title)s》已恢复，状态仍是「%(status)s」。")
        % {"title": _title(article), "status": article.get_status_display()},
    )
    return redirect(_where_after(request, article))


@login_required
def trash_list(request: HttpRequest) -> HttpResponse:
    """回收站: what this person may restore; a just-deleted article is named at the top with 撤销."""
    articles = list(trash.article_trash_list(user=request.user)[:200])
    for article in articles:
        article.purge_on = trash.purge_date(article)
    just_trashed = None
    wanted = request.GET.get("trashed", "")
    if wanted.isdigit():
        just_trashed = next((a for a in articles if a.pk == int(wanted)), None)
    return render(
        request,
        "articles/trash_list.html",
        {"articles": articles, "just_trashed": just_trashed, "days": trash.TRASH_DAYS},
    )


@login_required
@require_POST
def article_slug(request: HttpRequest, pk: int) -> HttpResponse:
    """An editor sets the article's address (/a/<slug>/); the old one keeps working."""
    article = get_object_or_404(Article, pk=pk)
    back = reverse("articles:editor_review", kwargs={"pk": pk}) + "#address"
    old = article.slug
    try:
        article = article_set_slug(actor=request.user, article=article, slug=request.POST.get("slug", ""))
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(back)
    if article.slug == old:
        messages.info(request, _("网址没有变化。"))
    elif article.published_at is not None:
        messages.success(
            request,
            _("网址已改为 %(path)s。旧网址 /a/%(old)s/ 会自动跳转到新网址。")
            % {"path": f"/a/{article.slug}/", "old": old},
        )
    else:
        messages.success(
            request, _("网址已改为 %(path)s，发布后读者从这个网址访问。") % {"path": f"/a/{article.slug}/"}
        )
    return redirect(back)
