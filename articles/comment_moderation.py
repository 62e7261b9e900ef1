"""Readers' comments as seen by moderation (the adapter contract is in moderation.registry).

A comment has no separate "held" state: holding it (a `block` scan verdict) hides it, so
it disappears for other readers at once while its writer still sees it with a note.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import ArticleStatus, Comment, CommentStatus
from articles.services_comments import (
    comment_set_hidden,
    comment_set_removed,
    comment_set_unremoved,
    comment_set_visible,
)
from cms.text import excerpt as text_excerpt
from moderation.registry import ModerationAdapter


class CommentAdapter(ModerationAdapter):
    label = _("评论")
    # A held comment is under review (正在审核), not hidden for good: the notice says so.
    owner_hold_notice_kind = "comment_held"

    def get_title(self, obj: Comment) -> str:
        # The registry scans what get_title returns and hashes it with the text. A comment
        # has no title of its own, and "评论：<article title>" would make every comment
        # inherit its article's title findings (and the clickbait title–body check), so
        # none is given; the queue shows the label 评论 and links to the comment.
        return ""

    def get_text(self, obj: Comment) -> str:
        return obj.body

    def get_owner(self, obj: Comment):
        return obj.author

    def get_url(self, obj: Comment) -> str:
        return f"{obj.article.get_absolute_url()}#comment-{obj.pk}"

    def get_queryset(self) -> models.QuerySet:
        return Comment.objects.select_related("article", "author")

    def is_live(self, obj: Comment, *, first_scan: bool) -> bool:
        # A new comment's first scan is part of posting it; after that, a shown comment
        # (or one a scan holds) under a readable article is public content.
        if first_scan:
            return False
        return obj.status in (CommentStatus.VISIBLE, CommentStatus.HIDDEN)

    def get_owner_url(self, obj: Comment) -> str:
        return self.get_url(obj)

    def owner_notice_text(self, obj: Comment, *, event: str, rules: str) -> str:
        excerpt = text_excerpt(obj.body)
        if event == "hold":
            return _(
                "你在《%(title)s》下的评论“%(excerpt)s”正在审核，通过后其他读者才能看到，"
                "原因是疑似违反社区公约 %(rules)s。"
                "你自己仍能看到它；如认为有误，可以在建议反馈页申诉。"
            ) % {"title": obj.article.title, "excerpt": excerpt, "rules": rules}
        if event == "release":
            return _("你在《%(title)s》下的评论“%(excerpt)s”已经通过审核，其他读者现在可以看到它了。") % {
                "title": obj.article.title,
                "excerpt": excerpt,
            }
        return ""

    def recent_public(self, limit: int):
        # Publicly visible: shown, under an article readers can open.
        return (
            self.get_queryset()
            .filter(status=CommentStatus.VISIBLE, article__status=ArticleStatus.PUBLISHED, article__held=False)
            .order_by("-created_at", "-id")[:limit]
        )

    def reportable_by(self, obj: Comment, user) -> bool:
        # What a reader can see: a shown comment under an article readers can open.
        article = obj.article
        return obj.status == CommentStatus.VISIBLE and article.status == ArticleStatus.PUBLISHED and not article.held

    def hold(self, obj: Comment, *, reason: str) -> None:
        comment_set_hidden(comment=obj, reason=reason, under_review=True)

    def release(self, obj: Comment) -> None:
        comment_set_visible(comment=obj)

    def hide(self, obj: Comment, *, reason: str) -> None:
        comment_set_hidden(comment=obj, reason=reason, under_review=True)

    def restore(self, obj: Comment) -> None:
        comment_set_visible(comment=obj)

    def remove(self, obj: Comment, *, reason: str) -> None:
        comment_set_removed(comment=obj, reason=reason)

    def unremove(self, obj: Comment, *, evidence: dict) -> bool:
        # The row never left: it shows again at its own place (its id and time are unchanged).
        comment_set_unremoved(comment=obj)
        return obj.status == CommentStatus.VISIBLE
