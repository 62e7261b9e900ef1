from django.conf import settings
from django.contrib import messages
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
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
from articles.models import Article, Comment
from articles.rendering import markdown_to_html
from articles.services_comments import (
    COMMENT_MAX_LENGTH,
    comment_create,
    comment_hide,
    comment_remove,
    comment_restore,
)
from articles.sitemaps import SITEMAPS
from articles.templatetags.article_comments import render_comment
from cms.error_views import with_retry_after
from cms.errors import StateConflict
from cms.text import join_sentences

HOME_PAGE_SIZE = 10
LIST_PAGE_SIZE = 15
SEARCH_PAGE_SIZE = 10
FEATURED_COUNT = 3


def home(request):
    """Newest articles, paginated; the editors' picks above them on the first page."""

    def build():
        articles = selectors.article_list_published()
        page = Paginator(articles, HOME_PAGE_SIZE).get_page(request.GET.get("page"))
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


def _render_article(request, article: Article, *, use_cache: bool = True, form=None, status: int = 200):
    comments = selectors.comment_page_for_article(article=article, page=_comment_page_number(request))
    context = {
        "article": article,
        "comment_moderation_base": _comment_moderation_base(request, article),
        "article_main": _article_main_html(request, article, use_cache=use_cache),
        "comments": comments,
        "comment_form": form or {"body": "", "errors": []},
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
    try:
        comment = comment_create(article=article, author=request.user, body=body)
    except ValidationError as exc:
        error = join_sentences(exc.message_dict.get("body", exc.messages))
    except RateLimited as exc:
        error, error_status, retry_after = str(exc), 429, exc.retry_after
    except (PermissionDenied, StateConflict) as exc:
        error, error_status = str(exc), 403 if isinstance(exc, PermissionDenied) else 409
    if error is not None:
        form = {"body": body, "errors": [error]}
        if request.htmx:
            # htmx swaps only 2xx answers; the error is in the form it swaps in.
            response = render(request, "articles/includes/comment_form.html", _form_context(article, form))
        else:
            messages.error(request, error)
            response = _render_article(request, article, form=form, status=error_status)
        return with_retry_after(response, retry_after)
    if request.htmx:
        context = _form_context(article, {"body": "", "errors": []})
        context.update(
            {
                "comment": comment,
                "created": True,
                "comment_total": selectors.comment_count_for_article(article=article),
            }
        )
        return render(request, "articles/includes/comment_created.html", context)
    messages.success(request, _("评论已发表。它会经过自动审核，如有问题会被隐藏并通知你。"))
    return redirect(f"{article.get_absolute_url()}#comment-{comment.pk}")


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
        page = Paginator(selectors.article_list_for_tag(tag=tag), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "articles/tag.html", {"tag": tag, "page": page})

    return page_cache.list_page(request, f"tag:{slug}", build)


def author_detail(request, username: str):
    """An author's pen name, bio and published articles."""

    def build():
        author = selectors.author_get_public(username=username)
        articles = selectors.article_list_for_author(user=author)
        page = Paginator(articles, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "articles/author.html", {"author": author, "page": page})

    return page_cache.list_page(request, f"author:{username}", build)


def search(request):
    """Search published articles; Chinese is segmented with jieba (articles.search)."""
    query = request.GET.get("q", "").strip()[:100]
    context = {"query": query, "page": None, "hits": [], "terms": []}
    if query:
        articles, terms = article_search.search_articles(selectors.article_list_searchable(), query)
        page = Paginator(articles, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
        context.update({"page": page, "terms": terms, "hits": article_search.search_hits(page, terms)})
    return render(request, "articles/search.html", context)


def feed(request):
    """The Atom feed of the newest articles (cached like the lists)."""
    return page_cache.list_page(request, "feed", lambda: LatestArticlesFeed()(request))


def sitemap(request):
    """sitemap.xml (cached like the lists)."""
    return page_cache.list_page(request, "sitemap", lambda: sitemap_view(request, sitemaps=SITEMAPS).render())
