"""Writes for readers' comments: posting, and the moderators' hide / restore / remove.

Every new comment is scanned by moderation once the transaction commits (a `block`
verdict hides it, through articles.comment_moderation.CommentAdapter). Every change
purges the cached article page.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.ratelimit import RateLimited, rate_limit_retry_after, rate_limit_take
from accounts.services import require_not_muted
from articles import cache as page_cache
from articles.models import Article, ArticleStatus, Comment, CommentStatus
from cms.errors import StateConflict
from cms.text import as_clause, excerpt, join_sentences

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


def comment_reply_target(*, article: Article, parent_id: int | str | None) -> Comment | None:
    """The comment a reply answers, or None for a top-level comment; a ValidationError
    when it is not a comment readers can see under this article."""
    if parent_id in (None, ""):
        return None
    try:
        parent_id = int(parent_id)
    except (TypeError, ValueError):
        raise ValidationError({"parent": _("要回复的评论不存在。")}) from None
    parent = (
        Comment.objects.select_related("author", "parent")
        .filter(pk=parent_id, article=article, status=CommentStatus.VISIBLE)
        .first()
    )
    if parent is None:
        raise ValidationError({"parent": _("要回复的评论不存在或已被隐藏，不能回复。")})
    return parent


@transaction.atomic
def comment_create(*, article: Article, author: AbstractBaseUser, body: str, parent: Comment | None = None) -> Comment:
    """`author` comments on a published `article` with plain text `body` — or replies to
    `parent`, a visible comment under it (one level: a reply to a reply hangs under the same
    top-level comment and names the person it answers, who gets a notice).

    Raises PermissionDenied (not signed in, no right to comment, or muted), StateConflict (the
    article is not published), ValidationError (empty or too long, a parent that is not a
    visible comment of this article) or RateLimited.
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
    if parent is not None and (parent.article_id != article.pk or parent.status != CommentStatus.VISIBLE):
        raise ValidationError({"parent": _("要回复的评论不存在或已被隐藏，不能回复。")})
    top = parent.parent if parent is not None and parent.parent_id else parent
    comment = Comment.objects.create(
        article=article,
        author=author,
        body=body,
        parent=top,
        reply_to=parent.author if parent is not None else None,
    )
    _after_change(comment)
    _scan_on_commit(comment)
    if parent is not None and parent.author_id != author.pk:
        _notify_reply(comment=comment, article=article, replied=parent)
    return comment


def _notify_reply(*, comment: Comment, article: Article, replied: Comment) -> None:
    """Tell the person replied to. The notice names who replied and where, not the reply's
    text: the scan has not read it yet, and what it hides must not reach anyone by mail."""
    from accounts.services import notice_send

    notice_send(
        user=replied.author,
        kind="comment_reply",
        text=_("%(name)s 回复了你在《%(title)s》下的评论“%(excerpt)s”。点开链接查看并继续讨论。")
        % {"name": comment.author.display_name, "title": article.title, "excerpt": excerpt(replied.body)},
        link=f"{article.get_absolute_url()}#comment-{comment.pk}",
        key=f"comment:{comment.pk}:reply",
        email=False,
    )


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


def comment_set_hidden(*, comment: Comment, reason: str, under_review: bool = False) -> bool:
    """Hide a visible comment. Returns whether anything changed (hiding twice is a no-op).

    ``under_review``: moderation hides it pending a decision (a scan's hold, trusted
    reporters), so its writer is told it is being reviewed rather than that it was hidden."""
    if comment.status != CommentStatus.VISIBLE:
        return False
    comment.status = CommentStatus.HIDDEN
    comment.hidden_reason = reason[:REASON_MAX_LENGTH]
    comment.under_review = under_review
    comment.save(update_fields=["status", "hidden_reason", "under_review"])
    _after_change(comment)
    return True


def comment_set_visible(*, comment: Comment) -> bool:
    """Show a hidden comment again. Removed comments stay removed."""
    if comment.status != CommentStatus.HIDDEN:
        return False
    comment.status = CommentStatus.VISIBLE
    comment.hidden_reason = ""
    comment.under_review = False
    comment.save(update_fields=["status", "hidden_reason", "under_review"])
    _after_change(comment)
    return True


def comment_set_removed(*, comment: Comment, reason: str) -> bool:
    """Remove a comment for good (the row stays for findings, reports and appeals)."""
    if comment.status == CommentStatus.REMOVED:
        return False
    comment.status = CommentStatus.REMOVED
    comment.hidden_reason = reason[:REASON_MAX_LENGTH]
    comment.under_review = False
    comment.save(update_fields=["status", "hidden_reason", "under_review"])
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
    _notify_hidden(comment=comment, reason=reason)
    return comment


def _notify_hidden(*, comment: Comment, reason: str) -> None:
    from accounts.services import notice_send

    notice_send(
        user=comment.author,
        kind="content_hidden",
        text=join_sentences(
            [
                _("你在《%(title)s》下的评论“%(excerpt)s”被审核员隐藏，其他读者看不到它")
                % {"title": comment.article.title, "excerpt": excerpt(comment.body)},
                _("理由：%(reason)s") % {"reason": as_clause(reason)},
                _("你自己仍能看到它；如有异议，可以在建议反馈页申诉"),
            ]
        ),
        link=f"{comment.article.get_absolute_url()}#comment-{comment.pk}",
        key=f"comment:{comment.pk}:hidden:{timezone.now().timestamp():.0f}",
        email=True,
    )


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
