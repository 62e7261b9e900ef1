from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """The platform's account. Roles are Django groups (accounts.roles)."""

    pen_name = models.CharField(_("笔名"), max_length=50, blank=True)
    bio = models.TextField(_("简介"), blank=True)
    email_verified_at = models.DateTimeField(_("邮箱验证时间"), null=True, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # "Chen" and "chen" are the same person to a reader: user names and e-mail
            # addresses are unique whatever their case.
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message=_("这个用户名已经有人使用了（不区分大小写）。"),
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("这个邮箱已经被另一个账号使用了（不区分大小写）。"),
            ),
        ]

    @property
    def display_name(self) -> str:
        return self.pen_name or self.get_full_name() or self.username

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class SignInKind(models.TextChoices):
    SIGNUP = "signup", _("注册")
    LOGIN = "login", _("登录")


class SignInRecord(models.Model):
    """One sign-up or sign-in: who, from where, with what (PRODUCT §5, multi-account abuse)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_records", verbose_name=_("用户")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=SignInKind.choices)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器标识"), max_length=512, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("登录记录")
        verbose_name_plural = _("登录记录")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["ip_address"], name="accounts_signin_ip_idx"),
            models.Index(fields=["user_agent"], name="accounts_signin_ua_idx"),
            models.Index(fields=["user", "-created_at"], name="accounts_signin_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} {self.ip_address or '-'}"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    DECLINED = "declined", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


class AuthorApplication(models.Model):
    """A reader's application to join the author programme, decided by an editor."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="author_applications",
        verbose_name=_("申请人"),
    )
    pen_name = models.CharField(_("笔名"), max_length=50)
    bio = models.TextField(_("个人简介"), max_length=500)
    links = models.TextField(_("过往作品链接"), blank=True)
    motivation = models.TextField(_("申请理由"), max_length=2000)
    status = models.CharField(
        _("状态"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核编辑"),
    )
    decision_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("作者申请")
        verbose_name_plural = _("作者申请")
        ordering = ["-created_at", "-pk"]
        permissions = [("review_authorapplication", _("可以审核作者申请"))]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="accounts_one_pending_application_per_user",
                violation_error_message=_("这位用户已经有一份待审核的作者申请。"),
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="accounts_app_status_idx")]

    def __str__(self) -> str:
        return gettext("%(user)s → %(pen_name)s（%(status)s）") % {
            "user": self.user,
            "pen_name": self.pen_name,
            "status": self.get_status_display(),
        }

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class NoticeKind(models.TextChoices):
    PENALTY_APPLIED = "penalty_applied", _("处罚通知")
    PENALTY_ENDED = "penalty_ended", _("处罚结束")
    PENALTY_LIFTED = "penalty_lifted", _("处罚解除")
    REPORT_OUTCOME = "report_outcome", _("举报结果")
    CONTENT_REMOVED = "content_removed", _("内容被删除")
    CONTENT_HIDDEN = "content_hidden", _("内容被隐藏")
    APPEAL_UPDATE = "appeal_update", _("申诉进展")
    APPEAL_DECIDED = "appeal_decided", _("申诉结果")
    APPEAL_MESSAGE = "appeal_message", _("申诉留言")
    FEEDBACK_REPLY = "feedback_reply", _("反馈回复")
    MODEL_UPDATE = "model_update", _("扫描模型更新")
    CONTENT_RELEASED = "content_released", _("内容已恢复")
    CHANGES_REQUESTED = "changes_requested", _("需要修改")
    COMMENT_REPLY = "comment_reply", _("评论回复")
    # A scan holds a comment for review: its writer still sees it, others do not yet.
    COMMENT_HELD = "comment_held", _("评论正在审核")


class Notice(models.Model):
    """An in-site notice (站内通知) for one user; the important ones also go by e-mail.

    ``key`` makes a notice idempotent: a task that runs twice tries to insert the same
    (user, key) and the database keeps one.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", verbose_name=_("用户")
    )
    kind = models.CharField(_("类型"), max_length=30, choices=NoticeKind.choices)
    text = models.TextField(_("内容"))
    link = models.CharField(_("链接"), max_length=300, blank=True)
    key = models.CharField(max_length=100, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], condition=~models.Q(key=""), name="one_notice_per_key")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_unread")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"
