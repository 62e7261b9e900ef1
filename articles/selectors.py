"""Reads for the articles app."""

from dataclasses import dataclass, replace
from functools import cache

from django.db.models import Case, Count, Q, QuerySet, Sum, When, Window
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts import roles
from accounts.models import User
from articles.models import Article, Comment, CommentStatus, Tag
from articles.prepared import STR_MARK, PreparedQuery

# Lists show titles and summaries: the long text columns stay in the database.
LIST_DEFERRED_FIELDS = ("body", "body_html", "search_text")


def article_list_published() -> QuerySet[Article]:
    """What readers see: published and not held by moderation, newest first."""
    return (
        Article.objects.public()
        .select_related("author", "cover_image")  # the cover thumbnail ({% cover_image %}) costs no query
        .defer(*LIST_DEFERRED_FIELDS)
        .order_by("-published_at", "-id")
    )


def article_list_searchable() -> QuerySet[Article]:
    """Published articles with their body, for search results (excerpts come from it)."""
    return (
        Article.objects.public()
        .select_related("author", "cover_image")
        .defer("search_text")
        .order_by("-published_at", "-id")
    )


# What the article page shows. Loading only these keeps the query cheap to build and read;
# a field added to the page must be added here, or reading it costs one more query.
ARTICLE_PAGE_FIELDS = (
    "id",
    "slug",
    "title",
    "summary",
    "body",
    "body_html",
    "cover",
    "cover_image",
    "cover_image__id",
    "cover_image__key",
    "cover_image__file",
    "cover_image__width",
    "cover_image__height",
    "cover_image__alt",
    "cover_image__renditions",
    "source",
    "source_handle",
    "byline",
    "originality",
    "reprint_source_url",
    "reprint_policy",
    "status",
    "held",
    "published_at",
    "updated_at",
    "external_submitter_name",
    "external_submitter_email",
    "author__id",
    "author__username",
    "author__pen_name",
    "author__first_name",
    "author__last_name",
    "author__bio",
)


def article_get_published(*, slug: str) -> Article:
    found = _ARTICLE_PAGE.list(slug)
    if not found:
        raise Http404("No Article matches the given query.")
    return found[0]


@cache
def _article_page_queryset() -> QuerySet[Article]:
    # Built once per process: chaining the same calls on every request costs more than
    # the query itself. A QuerySet is never evaluated in place, so sharing it is safe.
    return Article.objects.public().select_related("author", "cover_image").only(*ARTICLE_PAGE_FIELDS)


# The article page's own reads, compiled to SQL once per process (articles/prepared.py).
_ARTICLE_PAGE = PreparedQuery(Article, lambda slug: _article_page_queryset().filter(slug=slug)[:1], mark=STR_MARK)


# Public site (home, article page, tag and author pages, search, feed, sitemap)

COMMENTS_PER_PAGE = 50
# What a comment shows: its text and state, and its writer's display name.
COMMENT_FIELDS = (
    "id",
    "article_id",
    "body",
    "status",
    "hidden_reason",
    "under_review",
    "parent_id",
    "created_at",
    "author__id",
    "author__username",
    "author__pen_name",
    "author__first_name",
    "author__last_name",
    "reply_to__id",
    "reply_to__username",
    "reply_to__pen_name",
    "reply_to__first_name",
    "reply_to__last_name",
)


def tag_list_for_article(*, article: Article) -> list[Tag]:
    return _ARTICLE_TAGS.list(article.pk)


@cache
def _tag_queryset() -> QuerySet[Tag]:
    # Built once per process, like _article_page_queryset.
    return Tag.objects.only("name", "slug").order_by("name")


_ARTICLE_TAGS = PreparedQuery(Tag, lambda article_id: _tag_queryset().filter(articles=article_id))


def tag_get(*, slug: str) -> Tag:
    return get_object_or_404(Tag, slug=slug)


def article_list_for_tag(*, tag: Tag) -> QuerySet[Article]:
    return article_list_published().filter(tags=tag)


def author_get_public(*, username: str) -> User:
    """An account whose author page is public: active, and an author or with published articles."""
    user = get_object_or_404(User, username=username, is_active=True)
    is_author = user.groups.filter(name=roles.AUTHOR).exists()
    if not is_author and not Article.objects.public().filter(author=user).exists():
        raise Http404
    return user


def article_list_for_author(*, user: User) -> QuerySet[Article]:
    return article_list_published().filter(author=user)


def article_list_for_feed(*, limit: int = 20) -> list[Article]:
    return list(article_list_published().prefetch_related("tags")[:limit])


@dataclass(frozen=True)
class CommentPage:
    """One page of an article's comments, oldest first, and where it sits among them."""

    comments: list[Comment]
    number: int
    total: int
    per_page: int
    hidden_total: int = 0  # of ``total``, how many are hidden (readers other than the writer do not see them)
    shown_total: int | None = None  # what this reader can see (CommentPage.for_viewer)

    @property
    def count(self) -> int:
        """The number this reader sees in the heading: what they can see."""
        return self.total - self.hidden_total if self.shown_total is None else self.shown_total

    def for_viewer(self, *, viewer_id: int | None, sees_hidden: bool) -> "CommentPage":
        """The page as one reader sees it: hidden comments only for their writer (marked as
        such) and for moderators; the count is what they can see."""
        if sees_hidden:
            return replace(self, shown_total=self.total)
        own_hidden = [c for c in self.comments if c.status == CommentStatus.HIDDEN and c.author_id == viewer_id]
        shown = [c for c in self.comments if c.status != CommentStatus.HIDDEN or c.author_id == viewer_id]
        return replace(self, comments=shown, shown_total=self.total - self.hidden_total + len(own_hidden))

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def comment_page_for_article(*, article: Article, page: int = 1, per_page: int = COMMENTS_PER_PAGE) -> CommentPage:
    """Visible and hidden comments, threads together (each top-level comment followed by
    its replies), in one query; ``for_viewer`` keeps what one reader may see.

    The totals come from window functions over the same query, so a page of comments
    costs one SQL query whatever their number. Removed comments are not shown at all.
    """
    page = max(1, page)
    start, stop = (page - 1) * per_page, page * per_page
    if page <= PREPARED_COMMENT_PAGES:
        rows = _COMMENT_PAGE.list(article.pk, start, stop)
    else:
        rows = list(_comment_page_queryset().filter(article=article)[start:stop])
    if not rows and page > 1:
        total = comment_count_for_article(article=article)
        return CommentPage([], page, total, per_page)
    if not rows:
        return CommentPage([], page, 0, per_page)
    return CommentPage(rows, page, rows[0].total, per_page, hidden_total=rows[0].hidden_total or 0)


@cache
def _comment_page_queryset() -> QuerySet[Comment]:
    # Built once per process, like _article_page_queryset.
    return (
        Comment.objects.filter(status__in=[CommentStatus.VISIBLE, CommentStatus.HIDDEN])
        .select_related("author", "reply_to")
        .only(*COMMENT_FIELDS)
        .annotate(
            total=Window(Count("id")),
            hidden_total=Window(Sum(Case(When(status=CommentStatus.HIDDEN, then=1), default=0))),
        )
        # Comment ids grow with time, so a thread's key is its top-level comment's id.
        .order_by(Coalesce("parent_id", "id"), "id")
    )


# Each page number is its own SQL (its OFFSET); the first pages, which nearly every reader
# stays on, are compiled once per process, the rest built for each request.
PREPARED_COMMENT_PAGES = 5
_COMMENT_PAGE = PreparedQuery(
    Comment, lambda article_id, start, stop: _comment_page_queryset().filter(article=article_id)[start:stop]
)


def comment_count_for_article(*, article: Article, viewer_id: int | None = None, sees_hidden: bool = False) -> int:
    """How many comments this reader can see: the shown ones, and their own hidden ones
    (all hidden ones for moderators)."""
    comments = Comment.objects.filter(article=article)
    if sees_hidden:
        return comments.filter(status__in=[CommentStatus.VISIBLE, CommentStatus.HIDDEN]).count()
    return comments.filter(
        Q(status=CommentStatus.VISIBLE) | Q(status=CommentStatus.HIDDEN, author_id=viewer_id or 0)
    ).count()
