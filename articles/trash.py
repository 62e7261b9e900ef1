"""The trash (回收站): drafts that their author deleted, and articles an editor deleted once
they were no longer published, wait here TRASH_DAYS days, restorable, before beat purges
them for good.

Who may move what (checked in article_trash_check, shown by article_may_trash):
- an author: their own draft (never submitted). Once it is with the editors it is part of
  the editorial record; they ask the editor instead.
- an editor: a draft without an account behind it (an e-mail submission's draft, theirs to
  manage), and an article that is unpublished or archived. Another person's draft is that
  author's own, so an editor leaves it alone.
- nobody: a published article (unpublish it first) or one in review.
Restoring follows the same rule. Purging deletes the article row and what cascades from it
(revisions, notes, comments, image uses); images, moderation evidence and the audit log stay.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.addresses import path_of
from articles.models import AddressRedirect, Article, ArticleStatus
from articles.workflow import status_label
from cms.errors import StateConflict

PERM_SUBMIT = "articles.submit_article"
PERM_REVIEW = "articles.review_article"
TRASH_DAYS = 30
EDITOR_TRASHABLE = (ArticleStatus.UNPUBLISHED, ArticleStatus.ARCHIVED)
# Rows per purge transaction: each deletes a few related rows, so a batch stays well under
# a second of locks; the loop goes on until nothing is due or the cap is reached.
PURGE_BATCH = 50
PURGE_MAX_BATCHES = 20


def _signed_in(actor) -> bool:
    return actor is not None and actor.is_authenticated


def _check_role(actor: AbstractBaseUser | None, article: Article) -> None:
    """Whether `actor` may move `article` to or from the trash, whatever its trash state."""
    if not _signed_in(actor):
        raise PermissionDenied(_("请先登录。"))
    own = article.author_id is not None and article.author_id == actor.pk
    editor = actor.has_perm(PERM_REVIEW)
    if article.status == ArticleStatus.PUBLISHED:
        if editor:
            raise StateConflict(_("已发布的文章不能直接删除。请先下线，再移到回收站。"))
        raise StateConflict(_("已发布的文章不能删除。如需撤下，请联系编辑先下线。"))
    if article.status == ArticleStatus.DRAFT:
        if own and actor.has_perm(PERM_SUBMIT):
            return
        if editor and article.author_id is None:
            return
        if editor:
            raise PermissionDenied(_("这是作者自己的草稿，只有作者本人可以删除。"))
        raise PermissionDenied(_("这不是你的草稿，不能删除。"))
    if article.status in EDITOR_TRASHABLE and editor:
        return
    if own:
        raise StateConflict(
            _("文章已交给编辑（当前状态「%(status)s」），不能再删除。如需撤稿，请给编辑留言。")
            % {"status": status_label(article.status)}
        )
    if editor:
        raise StateConflict(
            _("审稿流程中的文章（当前状态「%(status)s」）不能删除。可以退稿，或下线后再删除。")
            % {"status": status_label(article.status)}
        )
    raise PermissionDenied(_("只有文章的作者或编辑可以删除这篇文章。"))


def article_trash_check(*, actor: AbstractBaseUser | None, article: Article) -> None:
    """Raise PermissionDenied or StateConflict (with the reason) unless `actor` may trash `article`."""
    _check_role(actor, article)
    if article.trashed_at is not None:
        raise StateConflict(_("这篇文章已经在回收站里了。"))


def article_may_trash(*, actor: AbstractBaseUser | None, article: Article) -> bool:
    try:
        article_trash_check(actor=actor, article=article)
    except (PermissionDenied, StateConflict):
        return False
    return True


def purge_date(article: Article) -> datetime | None:
    return article.trashed_at + timedelta(days=TRASH_DAYS) if article.trashed_at else None


def _audit(*, actor, action: str, article: Article, **data) -> None:
    from moderation.services import audit_record

    audit_record(actor=actor, action=f"article.{action}", target=article, data=data)


def _lock(article: Article) -> Article:
    return Article.objects.select_for_update(of=("self",)).get(pk=article.pk)


@transaction.atomic
def article_trash(*, actor: AbstractBaseUser, article: Article) -> Article:
    """Move the article to the trash; it can be restored for TRASH_DAYS days."""
    from articles.cache import purge_article_on_commit

    article = _lock(article)
    article_trash_check(actor=actor, article=article)
    article.trashed_at = timezone.now()
    article.trashed_by = actor
    article.save(update_fields=["trashed_at", "trashed_by", "updated_at"])
    _audit(actor=actor, action="trash", article=article, status=article.status)
    purge_article_on_commit(article)
    return article


@transaction.atomic
def article_restore(*, actor: AbstractBaseUser, article: Article) -> Article:
    """Take the article out of the trash, in the status it had."""
    article = _lock(article)
    if article.trashed_at is None:
        raise StateConflict(_("这篇文章不在回收站里，无需恢复。"))
    _check_role(actor, article)
    article.trashed_at = None
    article.trashed_by = None
    article.save(update_fields=["trashed_at", "trashed_by", "updated_at"])
    _audit(actor=actor, action="restore", article=article, status=article.status)
    return article


def article_trash_list(*, user: AbstractBaseUser) -> QuerySet[Article]:
    """What `user` may restore from the trash, most recently deleted first."""
    mine = Q(author=user, status=ArticleStatus.DRAFT)
    if user.has_perm(PERM_REVIEW):
        mine |= Q(author__isnull=True, status=ArticleStatus.DRAFT) | Q(status__in=EDITOR_TRASHABLE)
    return (
        Article.objects.filter(mine, trashed_at__isnull=False)
        .select_related("author")
        .defer("body", "body_html", "search_text")
        .order_by("-trashed_at", "-id")
    )


def article_trash_purge_due(*, now: datetime | None = None) -> list[int]:
    """Delete for good what has been in the trash TRASH_DAYS days (beat, daily).

    Picked by trashed_at under SKIP LOCKED, a batch per transaction, so a second run (or a
    second worker) finds nothing left to do. Each purge is audited with the title and slug,
    the only trace left of the article itself. Returns the ids purged.
    """
    cutoff = (now or timezone.now()) - timedelta(days=TRASH_DAYS)
    purged: list[int] = []
    for _batch in range(PURGE_MAX_BATCHES):
        with transaction.atomic():
            batch = list(
                Article.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(trashed_at__isnull=False, trashed_at__lte=cutoff)
                .exclude(status=ArticleStatus.PUBLISHED)
                .only("id", "title", "slug", "status", "trashed_at", "author_id")
                .order_by("trashed_at", "pk")[:PURGE_BATCH]
            )
            for article in batch:
                _audit(
                    actor=None,
                    action="purge",
                    article=article,
                    title=article.title,
                    slug=article.slug,
                    status=article.status,
                    author=article.author_id,
                    trashed_at=article.trashed_at.isoformat(),
                )
                purged.append(article.pk)
                # Old addresses that led to it would now lead to a 404: let them be 404s themselves.
                AddressRedirect.objects.filter(new_path=path_of(article.get_absolute_url())).delete()
                article.delete()
        if len(batch) < PURGE_BATCH:
            break
    return purged
