from django.conf import settings
from django.contrib import messages
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.ratelimit import RateLimited
from articles import cache as page_cache
from articles import search as article_search
from articles import selectors
from articles.feeds import LatestArticlesFeed
from articles.models import Article, Comment, CommentStatus
from articles.rendering import markdown_to_html
from articles.services_comments import (
    COMMENT_MAX_LENGTH,
    comment_create,
    comment_hide,
    comment_remove,
    comment_reply_target,
    comment_restore,
)
from articles.sitemaps import SITEMAPS
from articles.templatetags.article_comments import render_comment
from cms.error_views import with_retry_after
from cms.errors import StateConflict
from cms.pagination import PageMissing, page_missing_response, paginate
from cms.text import join_sentences

HOME_PAGE_SIZE = 10
LIST_PAGE_SIZE = 15
SEARCH_PAGE_SIZE = 10
FEATURED_COUNT = 3


def home(request):
    """Newest articles, paginated; the editors' picks above them on the first page."""

    def build():
        articles = selectors.article_list_published()
        try:
            page = paginate(request, articles, HOME_PAGE_SIZE)
        except PageMissing as missing:
            return page_missing_response(request, missing)
        featured = list(articles.filter(featured=True)[:FEATURED_COUNT]) if page.number == 1 else []
        return render(request, "articles/home.html", {"page": page, "featured": featured})

    return page_cache.list_page(request, "home", build)


def submit(request):
    """/submit/: the submission form for authors; everyone else learns how to submit."""
    if request.user.has_perm("articles.submit_article"):
        return author_submit(request)
    return render(request, "accounts/submit_notice.html", status=200)


def author_submit(request):
    """The author submission form (articles.submit_views)."""
    from articles.submit_views import author_submit as form_view

    return form_view(request)


def _article_main_html(request, article: Article, *, use_cache: bool) -> str:
    """The article itself (header, cover, body, tags, notices): the same for every reader,
    so it is rendered once per version and language and kept in the cache."""

    def build() -> str:
        # Rendered without the request: the fragment is the same for every reader, and
        # skipping the context processors makes a cache miss cheaper.
        return render_to_string(
            "articles/includes/article_main.html",
            {
                "article": article,
                # Stored on publish and edit; rendered here only for an article stored before that.
                "body_html": article.body_html or markdown_to_html(article.body),
                "tags": selectors.tag_list_for_article(article=article),
                "SITE_NAME": settings.SITE_NAME,
            },
        )

    if not use_cache:
        return build()
    return page_cache.article_fragment(article, request.LANGUAGE_CODE, build)


def _comment_moderation_base(request, article: Article) -> str:
    """Where a moderator's comment actions post to; empty for everyone else."""
    if request.user.is_authenticated and request.user.has_perm("moderation.moderate_content"):
        return f"{article.get_absolute_url()}comments/"
    return ""


def _comment_page_number(request) -> int:
    value = request.GET.get("comments", "1")
    return int(value) if value.isdigit() and len(value) < 7 else 1


def _sees_hidden_comments(request) -> bool:
    return request.user.is_authenticated and request.user.has_perm("moderation.moderate_content")


def _reply_parent(request, article: Article, value) -> Comment | None:
    """The comment a reply form answers (``?reply=`` without JavaScript), if it can be answered."""
    try:
        return comment_reply_target(article=article, parent_id=value)
    except ValidationError:
        return None


def _render_article(request, article: Article, *, use_cache: bool = True, form=None, status: int = 200):
    comments = selectors.comment_page_for_article(article=article, page=_comment_page_number(request)).for_viewer(
        viewer_id=request.user.pk, sees_hidden=_sees_hidden_comments(request)
    )
    form = form or {"body": "", "errors": []}
    if "parent" not in form and request.user.is_authenticated:
        form = {**form, "parent": _reply_parent(request, article, request.GET.get("reply"))}
    context = {
        "article": article,
        "comment_moderation_base": _comment_moderation_base(request, article),
        "article_main": _article_main_html(request, article, use_cache=use_cache),
        "comments": comments,
        "comment_form": form,
        "comment_max_length": COMMENT_MAX_LENGTH,
    }
    return render(request, "articles/detail.html", context, status=status)


def article_detail(request, slug: str, *, use_page_cache: bool = True, use_fragment_cache: bool = True):
    """The article page. Anonymous readers get the cached page; everyone gets the cached
    article fragment, with the comments (which differ per reader) rendered around it.

    The flags exist for the benchmark (bench/urls.py), which measures each layer off.
    """
    if use_page_cache:
        cached = page_cache.cached_article_page(request, slug)
        if cached is not None:
            return cached
    article = selectors.article_get_published(slug=slug)
    response = _render_article(request, article, use_cache=use_fragment_cache)
    if use_page_cache:
        page_cache.store_article_page(request, article, response)
    return response


@require_POST
def comment_post(request, slug: str):
    """Post a comment. With htmx the answer is the fresh form plus the new comment (swapped
    in without a reload); without JavaScript, a redirect back to the new comment."""
    article = selectors.article_get_published(slug=slug)
    body = request.POST.get("body", "")
    if not request.user.is_authenticated:
        messages.info(request, _("登录后就可以发表评论了。"))
        return redirect(f"{settings.LOGIN_URL}?next={article.get_absolute_url()}%23comments")
    error = None
    error_status = 400
    retry_after = None
    parent_id = request.POST.get("parent", "")
    parent = None
    try:
        parent = comment_reply_target(article=article, parent_id=parent_id)
        comment = comment_create(article=article, author=request.user, body=body, parent=parent)
    except ValidationError as exc:
        error = join_sentences(exc.message_dict.get("body", exc.message_dict.get("parent", exc.messages)))
    except RateLimited as exc:
        error, error_status, retry_after = str(exc), 429, exc.retry_after
    except (PermissionDenied, StateConflict) as exc:
        error, error_status = str(exc), 403 if isinstance(exc, PermissionDenied) else 409
    # A reply form under a thread (htmx) answers in place; the page's own form otherwise.
    in_thread = request.htmx and request.POST.get("in_thread") == "1" and parent is not None
    form_template = "articles/includes/comment_reply_form.html" if in_thread else "articles/includes/comment_form.html"
    if error is not None:
        form = {"body": body, "errors": [error], "parent": parent}
        if request.htmx:
            # htmx swaps only 2xx answers; the error is in the form it swaps in.
            response = render(request, form_template, _form_context(article, form))
        else:
            messages.error(request, error)
            response = _render_article(request, article, form=form, status=error_status)
        return with_retry_after(response, retry_after)
    # With tasks run in-process the scan has already run on commit (and may have hidden
    # the comment): show the writer what is true now, not what was posted.
    comment.refresh_from_db(fields=["status", "hidden_reason", "under_review"])
    pending = comment.status != CommentStatus.VISIBLE
    if pending:
        # The comment itself says 正在审核 (under it, to its writer); the form's area only
        # says what happens next, so the page does not say the same thing twice.
        done = _("已提交。审核有了结果会发站内通知给你。")
    elif parent is not None:
        done = _("回复已发表。它会经过自动审核，如有问题会被隐藏并通知你。")
    else:
        done = _("评论已发表。它会经过自动审核，如有问题会被隐藏并通知你。")
    if request.htmx:
        context = _form_context(article, {"body": "", "errors": [], "parent": None})
        total = selectors.comment_count_for_article(
            article=article, viewer_id=request.user.pk, sees_hidden=_sees_hidden_comments(request)
        )
        context.update(
            {
                "comment": comment,
                "created": True,
                "done": done,
                "pending": pending,
                "comment_total": total,
                # The "no comments yet" line is on the page only when this is the first.
                "first_comment": total == 1,
                "in_thread": in_thread,
                "thread_id": comment.parent_id or comment.pk,
            }
        )
        return render(request, "articles/includes/comment_created.html", context)
    if pending:
        messages.info(request, done)
    else:
        messages.success(request, done)
    return redirect(f"{article.get_absolute_url()}#comment-{comment.pk}")


def comment_reply_form(request, slug: str, pk: int):
    """The reply form for one comment: swapped in under its thread by htmx; without
    JavaScript, the article page with its own form set to answer that comment."""
    article = selectors.article_get_published(slug=slug)
    if not request.user.is_authenticated:
        return redirect(f"{settings.LOGIN_URL}?next={article.get_absolute_url()}%3Freply%3D{pk}%23comment-form")
    parent = _reply_parent(request, article, pk)
    if not request.htmx or parent is None:
        if parent is None:
            messages.error(request, _("要回复的评论不存在或已被隐藏，不能回复。"))
            return redirect(f"{article.get_absolute_url()}#comments")
        return redirect(f"{article.get_absolute_url()}?reply={pk}#comment-form")
    return render(
        request,
        "articles/includes/comment_reply_form.html",
        _form_context(article, {"body": "", "errors": [], "parent": parent}),
    )


@require_POST
def comment_moderate(request, slug: str, pk: int):
    """A moderator hides, restores or removes a comment from the article page."""
    article = selectors.article_get_published(slug=slug)
    comment = get_object_or_404(Comment.objects.select_related("author"), pk=pk, article=article)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    error = ""
    try:
        if action == "hide":
            comment = comment_hide(actor=request.user, comment=comment, reason=reason)
            done = _("评论已隐藏，读者看不到了；评论者仍能看到它和理由。")
        elif action == "restore":
            comment = comment_restore(actor=request.user, comment=comment)
            done = _("评论已恢复显示。")
        elif action == "remove":
            # Removing cannot be undone here: the server wants the box ticked, with or without JavaScript.
            # (Permission first: the service refuses a non-moderator with its own 403.)
            if request.POST.get("confirm") != "1" and request.user.has_perm("moderation.moderate_content"):
                raise ValidationError(_("删除前请勾选“确认删除”：删除后所有人都看不到这条评论，评论者会收到通知。"))
            comment = comment_remove(actor=request.user, comment=comment, reason=reason)
            done = _("评论已删除。")
        else:
            raise ValidationError(_("请选择隐藏、恢复显示或删除。"))
    except (ValidationError, StateConflict) as exc:
        error = join_sentences(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    if request.htmx:
        moderation = (f"{article.get_absolute_url()}comments/{comment.pk}/moderate/", get_token(request))
        html = render_comment(comment, viewer_id=request.user.pk, moderation=moderation, error=error)
        return HttpResponse(html)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(f"{article.get_absolute_url()}#comment-{comment.pk}")


def _form_context(article: Article, form: dict) -> dict:
    return {"article": article, "comment_form": form, "comment_max_length": COMMENT_MAX_LENGTH}


def tag_detail(request, slug: str):
    """Published articles with one tag, newest first."""

    def build():
        tag = selectors.tag_get(slug=slug)
        try:
            page = paginate(request, selectors.article_list_for_tag(tag=tag), LIST_PAGE_SIZE)
        except PageMissing as missing:
            return page_missing_response(request, missing)
        return render(request, "articles/tag.html", {"tag": tag, "page": page})

    return page_cache.list_page(request, f"tag:{slug}", build)


def author_detail(request, username: str):
    """An author's pen name, bio and published articles."""

    def build():
        author = selectors.author_get_public(username=username)
        articles = selectors.article_list_for_author(user=author)
        try:
            page = paginate(request, articles, LIST_PAGE_SIZE)
        except PageMissing as missing:
            return page_missing_response(request, missing)
        return render(request, "articles/author.html", {"author": author, "page": page})

    return page_cache.list_page(request, f"author:{username}", build)


def search(request):
    """Search published articles; Chinese is segmented with jieba (articles.search)."""
    query = request.GET.get("q", "").strip()[:100]
    context = {"query": query, "page": None, "hits": [], "terms": []}
    if query:
        articles, terms = article_search.search_articles(selectors.article_list_searchable(), query)
        try:
            page = paginate(request, articles, SEARCH_PAGE_SIZE)
        except PageMissing as missing:
            return page_missing_response(request, missing)
        context.update({"page": page, "terms": terms, "hits": article_search.search_hits(page, terms)})
    return render(request, "articles/search.html", context)


def feed(request):
    """The Atom feed of the newest articles (cached like the lists)."""
    return page_cache.list_page(request, "feed", lambda: LatestArticlesFeed()(request))


def sitemap(request):
    """sitemap.xml (cached like the lists)."""
    return page_cache.list_page(request, "sitemap", lambda: sitemap_view(request, sitemaps=SITEMAPS).render())
