"""How moderation sees an article (moderation.registry). Registered in ArticlesConfig.ready.

Hold and hide keep the status as it is and set `held`: a held article cannot be approved,
scheduled or published (articles.services refuses), and a held published article is not
shown to readers (Article.objects.public()). Removal takes a published article down the
way an unpublish would, with the moderator's reason.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, ArticleStatus
from moderation.registry import ModerationAdapter


def _purge_on_commit(article: Article) -> None:
    from articles.cache import purge_article_on_commit

    purge_article_on_commit(article)


class ArticleAdapter(ModerationAdapter):
    label = _("文章")

    def get_title(self, obj: Article) -> str:
        return obj.title or ""

    def get_text(self, obj: Article) -> str:
        """The summary (when there is one) and the Markdown body, as written.

        Finding offsets index this string; the review screen highlights findings in it.
        """
        return f"{obj.summary}\n\n{obj.body}" if obj.summary else obj.body

    def get_owner(self, obj: Article):
        return obj.author

    def get_url(self, obj: Article) -> str:
        from django.urls import reverse

        return reverse("articles:editor_review", kwargs={"pk": obj.pk})

    def get_queryset(self):
        return Article.objects.select_related("author")

    def is_live(self, obj: Article, *, first_scan: bool) -> bool:
        # Published (held or not): a scan of it decides whether readers keep seeing it.
        return obj.status == ArticleStatus.PUBLISHED

    def get_owner_url(self, obj: Article) -> str:
        from django.urls import reverse

        return reverse("articles:submit_detail", kwargs={"pk": obj.pk})

    def owner_notice_text(self, obj: Article, *, event: str, rules: str) -> str:
        title = obj.title or _("（无标题）")
        if event == "hold":
            if obj.status == ArticleStatus.PUBLISHED:
                return _(
                    "你的文章《%(title)s》被自动扫描暂扣，暂时不对读者显示，原因是疑似违反社区公约 %(rules)s。"
                    "审核员会尽快复核；你可以在文章页查看命中的内容并修改，如认为有误，可以在建议反馈页申诉。"
                ) % {"title": title, "rules": rules}
            return _(
                "你的文章《%(title)s》被自动扫描暂扣，在编辑或审核员处理之前不能审核通过，"
                "原因是疑似违反社区公约 %(rules)s。"
                "你可以在文章页查看并修改，编辑会在审稿时一并处理。"
            ) % {"title": title, "rules": rules}
        if event == "release" and obj.status == ArticleStatus.PUBLISHED:
            return _("你的文章《%(title)s》的自动扫描暂扣已经解除，读者又可以看到它了，无需你再做什么。") % {
                "title": title
            }
        return ""

    def recent_public(self, limit: int):
        return Article.objects.public().select_related("author").order_by("-published_at", "-id")[:limit]

    def reviewer_may_dismiss(self, obj: Article, user) -> bool:
        # The editor who has the article in review (claimed, status in_review) vouches for
        # it; nobody else outside the moderators may release what the scanner held.
        return (
            user.has_perm("articles.review_article")
            and obj.status == ArticleStatus.IN_REVIEW
            and obj.claimed_by_id == user.pk
        )

    def reportable_by(self, obj: Article, user) -> bool:
        return obj.status == ArticleStatus.PUBLISHED and not obj.held

    def reviewer_may_escalate(self, obj: Article, user) -> bool:
        # Sending an article to the moderators only keeps it held, so any editor may.
        return user.has_perm("articles.review_article")

    def _set_held(self, obj: Article, *, held: bool, reason: str = "") -> None:
        if obj.held == held and (not held or obj.hold_reason == reason[:300]):
            return
        obj.held = held
        obj.hold_reason = reason[:300] if held else ""
        obj.save(update_fields=["held", "hold_reason", "updated_at"])
        if obj.status == ArticleStatus.PUBLISHED:
            _purge_on_commit(obj)

    def hold(self, obj: Article, *, reason: str) -> None:
        self._set_held(obj, held=True, reason=reason)

    def release(self, obj: Article) -> None:
        self._set_held(obj, held=False)

    def hide(self, obj: Article, *, reason: str) -> None:
        self._set_held(obj, held=True, reason=reason)

    def restore(self, obj: Article) -> None:
        self._set_held(obj, held=False)

    def remove(self, obj: Article, *, reason: str) -> None:
        """The moderator's final removal: a published article is taken down, anything else
        archived; the row stays for findings, reports and appeals."""
        from articles.tasks import send_article_notice
        from reliability.outbox import outbox_enqueue

        if obj.status in (ArticleStatus.UNPUBLISHED, ArticleStatus.ARCHIVED) and not obj.held:
            return
        was_published = obj.status == ArticleStatus.PUBLISHED
        obj.held = False
        obj.hold_reason = ""
        obj.unpublish_reason = reason[:2000]
        if was_published:
            obj.status = ArticleStatus.UNPUBLISHED
            obj.unpublished_at = timezone.now()
        else:
            obj.status = ArticleStatus.ARCHIVED
        obj.save(update_fields=["held", "hold_reason", "unpublish_reason", "status", "unpublished_at", "updated_at"])
        _purge_on_commit(obj)
        outbox_enqueue(send_article_notice, obj.pk, "removed", reason)

    def evidence_captured(self, obj: Article, *, case) -> None:
        """The images the article shows stay with the case's evidence (files kept even if
        the author later deletes them from the library)."""
        from articles.images.services import image_keep_as_evidence

        image_keep_as_evidence(article=obj, case_id=case.pk)

    def unremove(self, obj: Article, *, evidence: dict) -> bool:
        """An appeal overturned the removal: a taken-down article is published again with its
        original publication time (so it is back where it was in every list, at the same
        URL); one archived before publication goes back to the author as a draft.
        Anything else (the author or an editor has moved it since) is left alone."""
        if obj.status == ArticleStatus.PUBLISHED:
            return not obj.held  # already back (a repeated call)
        if obj.status == ArticleStatus.UNPUBLISHED and obj.published_at is not None:
            obj.status = ArticleStatus.PUBLISHED
            obj.unpublished_at = None
        elif obj.status == ArticleStatus.ARCHIVED and obj.unpublish_reason:
            obj.status = ArticleStatus.DRAFT
        else:
            return False
        obj.unpublish_reason = ""
        obj.save(update_fields=["status", "unpublished_at", "unpublish_reason", "updated_at"])
        _purge_on_commit(obj)
        return True
