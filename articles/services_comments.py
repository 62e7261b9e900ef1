"""Writes for readers' comments: posting, and the moderators' hide / restore / remove.

Every new comment is scanned by moderation once the transaction commits (a `block`
verdict hides it, through articles.comment_moderation.CommentAdapter). Every change
purges the cached article page.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.ratelimit import RateLimited, rate_limit_retry_after, rate_limit_take
from accounts.services import require_not_muted
from articles import cache as page_cache
from articles.models import Article, ArticleStatus, Comment, CommentStatus
from cms.errors import StateConflict

COMMENT_MAX_LENGTH = 1000
# At most this many comments per account per minute: enough for a conversation, too few
# for a flood. Counted in the database, once across all web processes.
COMMENT_RATE_LIMIT = 5
COMMENT_RATE_WINDOW_SECONDS = 60
REASON_MAX_LENGTH = 300


def comment_clean_body(body: str) -> str:
    """The comment text as it will be stored, or a ValidationError a reader understands."""
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError({"body": _("评论不能为空，写点什么吧。")})
    if len(body) > COMMENT_MAX_LENGTH:
        extra = len(body) - COMMENT_MAX_LENGTH
        raise ValidationError(
            {
                "body": _("评论最多 %(max)s 字，现在是 %(n)s 字，请删减 %(extra)s 字。")
                % {"max": COMMENT_MAX_LENGTH, "n": len(body), "extra": extra}
            }
        )
    return body


def _rate_key(user: AbstractBaseUser) -> str:
    return f"comment:{user.pk}"


@transaction.atomic
def comment_create(*, article: Article, author: AbstractBaseUser, body: str) -> Comment:
    """`author` comments on a published `article` with plain text `body`.

    Raises PermissionDenied (not signed in, no right to comment, or muted), StateConflict (the
    article is not published), ValidationError (empty or too long) or RateLimited.
    """
    if not author.is_authenticated:
        raise PermissionDenied(_("登录后才能发表评论。"))
    if not author.has_perm("articles.add_comment"):
        raise PermissionDenied(_("你的账号暂时不能发表评论。"))
    require_not_muted(author, action=_("发表评论"))
    if article.status != ArticleStatus.PUBLISHED:
        raise StateConflict(_("这篇文章没有发布，不能评论。"))
    body = comment_clean_body(body)
    # Taken in this transaction: a comment that fails to be stored gives its slot back.
    if not rate_limit_take(key=_rate_key(author), limit=COMMENT_RATE_LIMIT, window_seconds=COMMENT_RATE_WINDOW_SECONDS):
        raise RateLimited(
            _("评论太频繁了：每分钟最多 %(n)s 条，请稍等一会儿再发。你写的内容还在。") % {"n": COMMENT_RATE_LIMIT},
            retry_after=rate_limit_retry_after(key=_rate_key(author)),
        )
    comment = Comment.objects.create(article=article, author=author, body=body)
    _after_change(comment)
    _scan_on_commit(comment)
    return comment


def _scan_on_commit(comment: Comment) -> None:
    from moderation.services import scan_request

    scan_request(obj=comment)


def _after_change(comment: Comment) -> None:
    page_cache.purge_article_on_commit(comment.article)


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明理由，它会告诉评论者并记入操作记录。")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("理由最长 %(max)s 字。") % {"max": REASON_MAX_LENGTH}})
    return reason


def _require_moderator(actor: AbstractBaseUser) -> None:
    if not (actor.is_authenticated and actor.has_perm("moderation.moderate_content")):
        raise PermissionDenied(_("只有审核员可以处理评论。"))


def _audit(*, actor: AbstractBaseUser | None, action: str, comment: Comment, data: dict) -> None:
    from moderation.services import audit_record

    audit_record(actor=actor, action=action, target=comment, data={"article": comment.article_id, **data})


# The state changes themselves, without permission checks: the moderation adapter calls
# them from inside moderation services that have already checked who acts.


def comment_set_hidden(*, comment: Comment, reason: str) -> bool:
    """Hide a visible comment. Returns whether anything changed (hiding twice is a no-op)."""
    if comment.status != CommentStatus.VISIBLE:
        return False
    comment.status = CommentStatus.HIDDEN
    comment.hidden_reason = reason[:REASON_MAX_LENGTH]
    comment.save(update_fields=["status", "hidden_reason"])
    _after_change(comment)
    return True


def comment_set_visible(*, comment: Comment) -> bool:
    """Show a hidden comment again. Removed comments stay removed."""
    if comment.status != CommentStatus.HIDDEN:
        return False
    comment.status = CommentStatus.VISIBLE
    comment.hidden_reason = ""
    comment.save(update_fields=["status", "hidden_reason"])
    _after_change(comment)
    return True


def comment_set_removed(*, comment: Comment, reason: str) -> bool:
    """Remove a comment for good (the row stays for findings, reports and appeals)."""
    if comment.status == CommentStatus.REMOVED:
        return False
    comment.status = CommentStatus.REMOVED
    comment.hidden_reason = reason[:REASON_MAX_LENGTH]
    comment.save(update_fields=["status", "hidden_reason"])
    _after_change(comment)
    return True


def comment_set_unremoved(*, comment: Comment) -> bool:
    """Show a removed comment again, in its place under the article (an appeal overturned
    the removal). Returns whether anything changed."""
    if comment.status != CommentStatus.REMOVED:
        return False
    comment.status = CommentStatus.VISIBLE
    comment.hidden_reason = ""
    comment.save(update_fields=["status", "hidden_reason"])
    _after_change(comment)
    return True


@transaction.atomic
def comment_hide(*, actor: AbstractBaseUser, comment: Comment, reason: str) -> Comment:
    """A moderator hides a comment pending a decision; its writer still sees it."""
    _require_moderator(actor)
    reason = _clean_reason(reason)
    comment = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
    if not comment_set_hidden(comment=comment, reason=reason):
        raise StateConflict(_("只有正在显示的评论可以隐藏。"))
    _audit(actor=actor, action="comment.hide", comment=comment, data={"reason": reason})
    return comment


@transaction.atomic
def comment_restore(*, actor: AbstractBaseUser, comment: Comment) -> Comment:
    """A moderator shows a hidden comment again."""
    _require_moderator(actor)
    comment = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
    if not comment_set_visible(comment=comment):
        raise StateConflict(_("只有被隐藏的评论可以恢复显示。"))
    _audit(actor=actor, action="comment.restore", comment=comment, data={})
    return comment


@transaction.atomic
def comment_remove(*, actor: AbstractBaseUser, comment: Comment, reason: str) -> Comment:
    """A moderator removes a comment: nobody sees it any more, not even its writer."""
    _require_moderator(actor)
    reason = _clean_reason(reason)
    comment = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
    if not comment_set_removed(comment=comment, reason=reason):
        raise StateConflict(_("这条评论已经删除了。"))
    _audit(actor=actor, action="comment.remove", comment=comment, data={"reason": reason})
    return comment
