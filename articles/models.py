from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cms.text import excerpt


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已投稿")
    IN_REVIEW = "in_review", _("审稿中")
    CHANGES_REQUESTED = "changes_requested", _("待修改")
    APPROVED = "approved", _("已通过")
    SCHEDULED = "scheduled", _("定时发布")
    PUBLISHED = "published", _("已发布")
    UNPUBLISHED = "unpublished", _("已下线")
    ARCHIVED = "archived", _("已归档")


class Originality(models.TextChoices):
    ORIGINAL = "original", _("原创")
    REPRINT = "reprint", _("转载")


class ReprintPolicy(models.TextChoices):
    """What the article page tells readers who want to republish it."""

    FORBIDDEN = "forbidden", _("未经许可，禁止转载")
    ASK_AUTHOR = "ask_author", _("转载请联系作者获得授权")
    WITH_ATTRIBUTION = "with_attribution", _("注明作者和出处即可转载")


class Tag(models.Model):
    """A topic label. `name` is what people read (usually Chinese); `slug` is the readable key
    of /tags/<slug>/ (Chinese allowed) — see articles.services.tag_slug_for for how it is made."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    slug = models.SlugField(_("网址标识"), max_length=60, unique=True, allow_unicode=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet):
    def public(self) -> "ArticleQuerySet":
        """What readers may see: published, and not held by moderation."""
        return self.filter(status=ArticleStatus.PUBLISHED, held=False)


class Article(models.Model):
    title = models.CharField(_("标题"), max_length=120)
    # Chinese allowed ("/a/私域流量的三个误区/"); the article's number until an editor sets one
    # (articles.services.article_set_slug, which keeps the old address as a redirect).
    slug = models.SlugField(_("网址标识"), max_length=140, unique=True, allow_unicode=True)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = models.TextField(_("正文（Markdown）"), blank=True)
    # The file of the form before the image library; kept (and no longer written) so a
    # rollback still finds it. The 0006 migration copied every one into the library.
    cover = models.ImageField(_("封面图（旧）"), upload_to="articles/covers/%Y/%m/", blank=True)
    cover_image = models.ForeignKey(
        "articles.Image",
        verbose_name=_("封面图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cover_of",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("标签"), related_name="articles", blank=True)

    # 来源: the medium or account the article comes from, e.g. "增长实验室" + "@growthlab".
    source = models.CharField(_("来源"), max_length=60, blank=True)
    source_handle = models.CharField(_("来源账号"), max_length=100, blank=True)
    # 作者: the pen name printed on the article; need not be a user of the site.
    byline = models.CharField(_("作者"), max_length=60, blank=True)

    # Who submitted it: an account (author programme) or, for e-mail submissions, a person
    # outside the site.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("投稿账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    external_submitter_name = models.CharField(_("投稿人姓名（邮件投稿）"), max_length=100, blank=True)
    external_submitter_email = models.EmailField(_("投稿人邮箱（邮件投稿）"), blank=True)

    originality = models.CharField(
        _("原创声明"), max_length=10, choices=Originality.choices, default=Originality.ORIGINAL
    )
    reprint_source_url = models.URLField(_("转载原文链接"), max_length=500, blank=True)
    reprint_permission = models.TextField(_("转载授权说明"), blank=True)
    reprint_policy = models.CharField(
        _("转载政策"), max_length=20, choices=ReprintPolicy.choices, default=ReprintPolicy.FORBIDDEN
    )

    status = models.CharField(_("状态"), max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    featured = models.BooleanField(_("推荐"), default=False)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审稿编辑"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claimed_articles",
    )
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("投稿时间"), null=True, blank=True)
    scheduled_at = models.DateTimeField(_("定时发布时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    unpublished_at = models.DateTimeField(_("下线时间"), null=True, blank=True)
    unpublish_reason = models.TextField(_("下线原因"), blank=True)

    # A moderation hold (a `block` scan verdict, or a moderator): the status stays as it is,
    # but the article cannot be approved or published until the hold is released.
    held = models.BooleanField(_("审核暂扣"), default=False)
    hold_reason = models.CharField(_("暂扣原因"), max_length=300, blank=True)

    # Title, summary and body segmented with jieba (search mode), filled by articles.search.
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)
    # The body rendered to sanitised HTML when the article is published or edited
    # (articles.search.search_index_article), so reading an article never renders Markdown.
    body_html = models.TextField(_("正文（HTML）"), blank=True, editable=False)

    # In the trash (回收站) since then: only drafts and articles no longer published go there
    # (articles.trash), restorable until beat purges them TRASH_DAYS later.
    trashed_at = models.DateTimeField(_("移入回收站时间"), null=True, blank=True)
    trashed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("移入回收站的人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            models.Index(fields=["status", "scheduled_at"], name="article_status_scheduled"),
            models.Index(fields=["status", "claimed_by"], name="article_status_claimed"),
            models.Index(fields=["author", "status"], name="article_author_status"),
            models.Index(fields=["trashed_at"], name="article_trashed", condition=Q(trashed_at__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(scheduled_at__isnull=False),
                name="article_scheduled_has_time",
            ),
        ]
        permissions = [
            ("submit_article", _("可以投稿文章")),
            ("review_article", _("可以审稿、发布文章")),
            ("unpublish_article", _("可以下线文章")),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED and not self.held

    @property
    def submitter_display(self) -> str:
        """Who sent the article in: the account's name, or the e-mail submitter."""
        if self.author_id:
            return self.author.display_name
        return self.external_submitter_name or self.external_submitter_email


class AddressRedirect(models.Model):
    """An old public address and where it lives now (a changed article or tag slug).

    Looked up only when a request would otherwise be a 404 (articles.redirects), so pages
    that exist pay nothing for it. Paths are stored decoded, as Django's request.path_info
    gives them ("/a/私域流量的三个误区/"). Chains are collapsed when written: every row points
    straight at the current address.
    """

    old_path = models.CharField(_("旧地址"), max_length=300, unique=True)
    new_path = models.CharField(_("新地址"), max_length=300)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("地址跳转")
        verbose_name_plural = _("地址跳转")
        indexes = [models.Index(fields=["new_path"], name="redirect_new_path")]

    def __str__(self) -> str:
        return f"{self.old_path} → {self.new_path}"


class Revision(models.Model):
    """One saved version of an article's text. Numbered 1, 2, 3… per article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=120)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = models.TextField(_("正文（Markdown）"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="article_revisions",
    )
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("修订版本")
        verbose_name_plural = _("修订版本")
        ordering = ["article", "-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="unique_revision_number")]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class EditorialComment(models.Model):
    """A note between the author and editors on one article. Replies point at their parent;
    a thread (a top-level note and its replies) is resolved as a whole."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="editorial_comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("留言人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="editorial_comments",
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("回复"), null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(_("内容"))
    # Set on a change request note, so the author sees which notes asked for changes.
    is_change_request = models.BooleanField(_("修改要求"), default=False)
    resolved = models.BooleanField(_("已解决"), default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解决人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("编辑留言")
        verbose_name_plural = _("编辑留言")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["article", "created_at"], name="edcomment_article_created")]

    def __str__(self) -> str:
        return excerpt(self.body)


class CommentStatus(models.TextChoices):
    VISIBLE = "visible", _("可见")
    HIDDEN = "hidden", _("已隐藏")
    REMOVED = "removed", _("已删除")


class Comment(models.Model):
    """A reader's comment on a published article (plain text)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评论人"), on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField(_("内容"))
    status = models.CharField(_("状态"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.VISIBLE)
    hidden_reason = models.CharField(_("隐藏原因"), max_length=300, blank=True)
    # Hidden by moderation pending a decision (a scan's hold, trusted reporters), not by a
    # moderator's own decision: its writer is told it is being reviewed.
    under_review = models.BooleanField(_("等待审核"), default=False)
    # One level of replies: a reply to a reply hangs under the same top-level comment and
    # names the person it answers.
    parent = models.ForeignKey(
        "self", verbose_name=_("回复的评论"), on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    reply_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回复对象"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评论")
        verbose_name_plural = _("评论")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["article", "status", "created_at"], name="comment_article_status_created")]

    def __str__(self) -> str:
        return excerpt(self.body)


# E-mail submissions and the image library live in their own modules (articles/mail/models.py,
# articles/images/models.py); imported here so they belong to this app.
from articles.images.models import Image, ImageEvidence, ImageUse, ImageUseRole  # noqa: E402, F401
from articles.mail.models import (  # noqa: E402, F401
    InboundMessage,
    InboundStatus,
    IngestOutcome,
    Submission,
    SubmissionAttachment,
    SubmissionStatus,
)
