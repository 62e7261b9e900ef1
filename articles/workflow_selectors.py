"""Reads for the editorial workflow: the editors' queues, the review screen, an author's
own articles. Each function costs a fixed number of queries, whatever the data."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from datetime import timedelta
from functools import reduce

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, ArticleStatus, EditorialComment, Revision

S = ArticleStatus
RECENTLY_PUBLISHED_DAYS = 14


@dataclass(frozen=True)
class Queue:
    key: str
    label: object
    description: object


QUEUES = (
    Queue("new", _("新投稿"), _("作者已投稿、还没有编辑认领的文章。")),
    Queue("mine", _("我认领的"), _("你正在审稿、等作者修改或已通过待发布的文章。")),
    Queue("changes", _("待作者修改"), _("编辑已提出修改意见，等待作者提交修改稿。")),
    Queue("approved", _("已通过"), _("审核通过，等待安排发布。")),
    Queue("scheduled", _("定时发布"), _("已设定发布时间，到点后自动发布。")),
    Queue("published", _("近期发布"), _("最近 14 天发布的文章。")),
)
QUEUE_KEYS = [queue.key for queue in QUEUES]


def _queue_filters(user) -> dict[str, Q]:
    since = timezone.now() - timedelta(days=RECENTLY_PUBLISHED_DAYS)
    return {
        "new": Q(status=S.SUBMITTED),
        "mine": Q(claimed_by=user, status__in=[S.IN_REVIEW, S.CHANGES_REQUESTED, S.APPROVED]),
        "changes": Q(status=S.CHANGES_REQUESTED),
        "approved": Q(status=S.APPROVED),
        "scheduled": Q(status=S.SCHEDULED),
        "published": Q(status=S.PUBLISHED, published_at__gte=since),
    }


def editor_queue_counts(*, user) -> dict[str, int]:
    """How many articles are in each queue — one query, over the rows of some queue only
    (an index read of the workflow statuses and of the last days' published articles, not
    a scan of every article)."""
    filters = _queue_filters(user)
    in_some_queue = reduce(operator.or_, filters.values())
    return Article.objects.filter(in_some_queue).aggregate(
        **{key: Count("id", filter=condition) for key, condition in filters.items()}
    )


def editor_queue(*, user, key: str) -> QuerySet[Article]:
    ordering = {
        "new": ["submitted_at", "id"],
        "mine": ["-updated_at", "-id"],
        "changes": ["-updated_at", "-id"],
        "approved": ["-updated_at", "-id"],
        "scheduled": ["scheduled_at", "id"],
        "published": ["-published_at", "-id"],
    }[key]
    return Article.objects.filter(_queue_filters(user)[key]).select_related("author", "claimed_by").order_by(*ordering)


def article_for_review(*, pk: int) -> Article:
    return get_object_or_404(Article.objects.select_related("author", "claimed_by").prefetch_related("tags"), pk=pk)


# How 我的文章 groups an author's articles: what they can still change, what the editors
# have, what readers see, what is off the site.
AUTHOR_STATUS_GROUPS = (
    (_("草稿"), (S.DRAFT,)),
    (_("待我修改"), (S.CHANGES_REQUESTED,)),
    (_("编辑处理中"), (S.SUBMITTED, S.IN_REVIEW, S.APPROVED, S.SCHEDULED)),
    (_("已发布"), (S.PUBLISHED,)),
    (_("已下线或归档"), (S.UNPUBLISHED, S.ARCHIVED)),
)


def author_articles(*, user) -> QuerySet[Article]:
    """An author's own articles, newest activity first, with their open change requests counted."""
    return (
        Article.objects.filter(author=user, trashed_at__isnull=True)
        .annotate(
            open_change_requests=Count(
                "editorial_comments",
                filter=Q(editorial_comments__is_change_request=True, editorial_comments__resolved=False),
            )
        )
        .order_by("-updated_at", "-id")
    )


@dataclass
class Thread:
    note: EditorialComment
    replies: list[EditorialComment] = field(default_factory=list)


def editorial_threads(*, article: Article) -> list[Thread]:
    """The editorial notes as threads (a first note and its replies), in one query.
    Open threads come first, then resolved ones, each oldest first."""
    threads: dict[int, Thread] = {}
    replies: list[EditorialComment] = []
    for comment in EditorialComment.objects.filter(article=article).select_related("author", "resolved_by"):
        if comment.parent_id is None:
            threads[comment.pk] = Thread(comment)
        else:
            replies.append(comment)
    for reply in replies:
        if reply.parent_id in threads:
            threads[reply.parent_id].replies.append(reply)
    return sorted(threads.values(), key=lambda t: (t.note.resolved, t.note.created_at, t.note.pk))


def revision_list(*, article: Article) -> list[Revision]:
    """The article's revisions, newest first, without their text."""
    return list(Revision.objects.filter(article=article).select_related("author").defer("body").order_by("-number"))


def revision_pair(*, article: Article, old: int | None, new: int | None) -> tuple[Revision | None, Revision | None]:
    """Two revisions to compare (by number): by default the latest and the one before it."""
    numbers = [n for n in (old, new) if n]
    if numbers:
        found = {r.number: r for r in Revision.objects.filter(article=article, number__in=numbers)}
        return found.get(old), found.get(new)
    latest = list(Revision.objects.filter(article=article).order_by("-number")[:2])
    if len(latest) < 2:
        return None, latest[0] if latest else None
    return latest[1], latest[0]


@dataclass
class ScanView:
    record: object | None
    findings: list


def article_scan(*, article: Article) -> ScanView:
    """The latest scan of the article and its findings (moderation's selectors, two queries)."""
    from moderation.selectors import findings_for, scan_latest

    record = scan_latest(article)
    return ScanView(record, findings_for(article) if record else [])


AUDIT_LABELS = {
    "article.create": _("创建草稿"),
    "article.submit": _("投稿"),
    "article.resubmit": _("提交修改稿"),
    "article.claim": _("认领审稿"),
    "article.take_over": _("接手审稿"),
    "article.request_changes": _("要求修改"),
    "article.approve": _("审核通过"),
    "article.schedule": _("定时发布"),
    "article.unschedule": _("取消定时"),
    "article.publish": _("发布"),
    "article.unpublish": _("下线"),
    "article.archive": _("归档"),
    "article.decline": _("退稿"),
    "article.edit": _("修改文章"),
    "article.feature": _("设为推荐"),
    "article.unfeature": _("取消推荐"),
    "article.comment_resolve": _("解决留言"),
    "scan.hold": _("扫描暂扣"),
    "scan.release": _("解除暂扣"),
    "scan.dismiss": _("放行扫描结果"),
    "scan.escalate": _("转交社区治理"),
    "scan.remove": _("审核员删除"),
}


def article_history(*, article: Article, limit: int = 50):
    """The audit entries about this article, newest first, each with a Chinese `label`."""
    from moderation.selectors import audit_history

    return audit_history(article, labels=AUDIT_LABELS, limit=limit)
