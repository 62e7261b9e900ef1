"""Writes for the accounts app: sign-up, e-mail verification, sign-in records, roles,
profiles and the author programme."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import ApplicationStatus, AuthorApplication, Notice, SignInKind, SignInRecord, User
from accounts.ratelimit import RateLimited, rate_limit_count, rate_limit_exceeded, rate_limit_retry_after
from accounts.restrictions import require_not_muted  # the one refusal of a muted person's services
from cms.errors import StateConflict

EMAIL_VERIFICATION_SALT = "accounts.email-verification"
RESEND_INTERVAL_SECONDS = 60
SIGNUP_WINDOW_SECONDS = 60 * 60
# user_ensure_demo has a parameter named `roles`, which hides the module there.
ADMIN_ROLE = roles.ADMIN


@transaction.atomic
def user_ensure_demo(*, username: str, password: str, roles: list[str], email: str, pen_name: str = "") -> User:
    """Create a demo account, or reset an existing one to its demo state (idempotent)."""
    user, _created = User.objects.get_or_create(username=username, defaults={"email": email})
    user.email = email
    user.pen_name = pen_name
    user.is_active = True
    user.is_staff = ADMIN_ROLE in roles
    user.is_superuser = ADMIN_ROLE in roles
    # Demo mailboxes do not exist; treat them as verified so every demo feature works.
    user.email_verified_at = user.email_verified_at or timezone.now()
    user.set_password(password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    return user


def user_roles_set(*, user: User, role_names: list[str]) -> User:
    """Give `user` exactly these roles. Admins are staff (they use /admin/); no one else is."""
    unknown = set(role_names) - set(roles.ROLES)
    if unknown:
        raise ValidationError(_("没有这个角色：%(names)s") % {"names": _("、").join(sorted(unknown))})
    with transaction.atomic():
        user.groups.set(Group.objects.filter(name__in=role_names))
        user.is_staff = roles.ADMIN in role_names
        user.save(update_fields=["is_staff"])
    return user


def _signup_key(ip_address: str | None) -> str:
    return f"signup:{ip_address or 'unknown'}"


def user_signup(*, username: str, email: str, password: str, ip_address: str | None, user_agent: str) -> User:
    """Register a reader. Checks everything first, then writes in one transaction, so a
    refused sign-up leaves nothing behind. Sends the verification e-mail after commit."""
    # The same NFKC normalisation create_user applies, so "Ｌｉ" and "Li" are one name.
    username = User.normalize_username(username.strip())
    email = User.objects.normalize_email(email.strip())
    limit = settings.ACCOUNTS_SIGNUP_LIMIT_PER_HOUR
    if rate_limit_exceeded(key=_signup_key(ip_address), limit=limit, window_seconds=SIGNUP_WINDOW_SECONDS):
        raise RateLimited(
            _("这个网络在一小时内注册的账号太多了，请稍后再试。"),
            retry_after=rate_limit_retry_after(key=_signup_key(ip_address)),
        )

    errors: dict[str, list[str]] = {}
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        errors["username"] = [_("用户名只能包含文字、数字和 @ . + - _ 这几个符号，不能有空格。")]
    if not username:
        errors["username"] = [_("请填写用户名。")]
    elif len(username) > 150:
        errors["username"] = [_("用户名太长了，最多 150 个字符。")]
    elif "username" not in errors and User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("这个用户名已经有人使用了，请换一个。")]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("请填写有效的邮箱地址。")]
    else:
        if User.objects.filter(email__iexact=email).exists():
            errors["email"] = [_("这个邮箱已经注册过账号。如果是你本人，请直接登录，或用“忘记密码”找回。")]
    try:
        validate_password(password, user=User(username=username, email=email))
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)

    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, email=email, password=password)
            user.groups.add(Group.objects.get(name=roles.READER))
            SignInRecord.objects.create(user=user, kind=SignInKind.SIGNUP, ip_address=ip_address, user_agent=user_agent)
            from moderation.services import ban_evasion_check

            ban_evasion_check(user=user, ip_address=ip_address, user_agent=user_agent)
    except IntegrityError as error:
        # Someone took the name or address between our check and the insert.
        raise ValidationError(_("这个用户名或邮箱刚刚被注册了，请换一个再试。")) from error
    rate_limit_count(key=_signup_key(ip_address), window_seconds=SIGNUP_WINDOW_SECONDS)
    email_verification_send(user=user)
    return user


def sign_in_record(*, user: User, ip_address: str | None, user_agent: str) -> SignInRecord:
    """Remember a sign-in (called for every successful login, from the user_logged_in signal)."""
    return SignInRecord.objects.create(user=user, kind=SignInKind.LOGIN, ip_address=ip_address, user_agent=user_agent)


def email_verification_token(*, user: User) -> str:
    """A signed, timestamped token naming the user and the address being verified."""
    return signing.dumps({"user": user.pk, "email": user.email.lower()}, salt=EMAIL_VERIFICATION_SALT, compress=True)


def email_verification_send(*, user: User) -> None:
    """E-mail a verification link once the current transaction commits."""
    if user.email_verified:
        raise StateConflict(_("你的邮箱已经验证过了。"))
    if not user.email:
        raise ValidationError(_("账号还没有填写邮箱。"))
    from accounts.tasks import send_verification_email
    from reliability.outbox import outbox_enqueue

    outbox_enqueue(send_verification_email, user.pk)


def email_verification_resend(*, user: User) -> None:
    """Send the link again, at most once a minute per account."""
    key = f"verify-resend:{user.pk}"
    if rate_limit_exceeded(key=key, limit=1, window_seconds=RESEND_INTERVAL_SECONDS):
        raise RateLimited(
            _("验证邮件刚刚发出，请一分钟后再试，也别忘了看看垃圾邮件箱。"), retry_after=rate_limit_retry_after(key=key)
        )
    email_verification_send(user=user)
    rate_limit_count(key=key, window_seconds=RESEND_INTERVAL_SECONDS)


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Mark the address in `token` verified. A link works once, and expires after
    ACCOUNTS_EMAIL_VERIFICATION_MAX_AGE seconds."""
    try:
        data = signing.loads(token, salt=EMAIL_VERIFICATION_SALT, max_age=settings.ACCOUNTS_EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(_("验证链接已过期。请登录后在页面顶部重新发送验证邮件。")) from error
    except signing.BadSignature as error:
        raise ValidationError(_("验证链接无效，可能复制时不完整。请打开邮件里的完整链接。")) from error
    user = User.objects.select_for_update().filter(pk=data.get("user")).first()
    if user is None or user.email.lower() != data.get("email"):
        raise ValidationError(_("这个验证链接对应的邮箱已经更换，请使用最新一封验证邮件里的链接。"))
    if user.email_verified:
        raise StateConflict(_("这个验证链接已经使用过了，你的邮箱已是验证状态。"))
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    return user


def user_profile_update(*, actor: User, user: User, pen_name: str, bio: str) -> User:
    """Authors edit the pen name and bio their articles are signed with.

    Readers have neither: a pen name is granted with the author programme (it is what an
    editor approved in the application), so only authors may change it here.
    """
    if actor.pk != user.pk and not actor.has_perm("accounts.change_user"):
        raise PermissionDenied(_("只能修改自己的资料。"))
    if not user.has_perm("articles.submit_article"):
        raise PermissionDenied(_("笔名和简介在成为作者后才能设置。"))
    pen_name = pen_name.strip()
    if not pen_name:
        raise ValidationError({"pen_name": [_("作者需要一个笔名，它会署在你的文章上。")]})
    user.pen_name = pen_name[:50]
    user.bio = bio.strip()
    user.save(update_fields=["pen_name", "bio"])
    return user


def author_application_submit(*, user: User, pen_name: str, bio: str, links: str, motivation: str) -> AuthorApplication:
    """A reader applies to the author programme. One pending application per user."""
    if not user.is_authenticated or not user.has_perm("accounts.add_authorapplication"):
        raise PermissionDenied(_("请先登录再申请成为作者。"))
    if user.has_perm("articles.submit_article"):
        raise StateConflict(_("你已经是作者了，可以直接在“投稿”页面写文章。"))
    require_not_muted(user, action=_("申请成为作者"))
    if not user.email_verified:
        raise StateConflict(_("请先验证邮箱再提交申请：审核结果会发送到你的邮箱。"))
    if AuthorApplication.objects.filter(user=user, status=ApplicationStatus.PENDING).exists():
        raise ValidationError(_("你已经有一份申请正在审核中，请耐心等待编辑处理，不需要重复提交。"))
    pen_name, bio, motivation = pen_name.strip(), bio.strip(), motivation.strip()
    errors: dict[str, list[str]] = {}
    if not pen_name:
        errors["pen_name"] = [_("请填写笔名，它会署在你的文章上。")]
    elif len(pen_name) > 50:
        errors["pen_name"] = [_("笔名最多 50 个字。")]
    if not bio:
        errors["bio"] = [_("请简单介绍一下你自己。")]
    elif len(bio) > 500:
        errors["bio"] = [_("简介最多 500 字。")]
    if len(motivation) < 10:
        errors["motivation"] = [_("请多写几句申请理由（至少 10 个字），比如你想写哪些主题。")]
    elif len(motivation) > 2000:
        errors["motivation"] = [_("申请理由最多 2000 字。")]
    link_lines = [line.strip() for line in links.splitlines() if line.strip()]
    bad_links = [line for line in link_lines if not line.startswith(("http://", "https://"))]
    if bad_links:
        errors["links"] = [_("每行填写一个以 http:// 或 https:// 开头的链接：%(link)s") % {"link": bad_links[0]}]
    elif len(link_lines) > 10:
        errors["links"] = [_("最多填写 10 个链接，挑最有代表性的就好。")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return AuthorApplication.objects.create(
                user=user, pen_name=pen_name, bio=bio, links="\n".join(link_lines), motivation=motivation
            )
    except IntegrityError as error:  # a second submit raced the first (double click)
        raise ValidationError(_("你已经有一份申请正在审核中，请耐心等待编辑处理，不需要重复提交。")) from error


def _application_for_decision(*, actor: User, application_id: int) -> AuthorApplication:
    if not actor.has_perm("accounts.review_authorapplication"):
        raise PermissionDenied(_("只有编辑可以审核作者申请。"))
    application = AuthorApplication.objects.select_for_update().select_related("user").get(pk=application_id)
    if application.user_id == actor.pk:
        raise PermissionDenied(_("不能审核自己的申请，请交给其他编辑处理。"))
    if application.status != ApplicationStatus.PENDING:
        raise StateConflict(
            _("这份申请已经处理过了（%(status)s），无需重复操作。") % {"status": application.get_status_display()}
        )
    return application


@transaction.atomic
def author_application_approve(*, actor: User, application: AuthorApplication, note: str = "") -> AuthorApplication:
    """Approve: the applicant joins the author group and signs with the approved pen name."""
    application = _application_for_decision(actor=actor, application_id=application.pk)
    application.status = ApplicationStatus.APPROVED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.decision_note = note.strip()
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    applicant = application.user
    applicant.pen_name = application.pen_name
    applicant.bio = application.bio
    applicant.save(update_fields=["pen_name", "bio"])
    applicant.groups.add(Group.objects.get(name=roles.AUTHOR))
    from accounts.tasks import send_application_decision_email
    from reliability.outbox import outbox_enqueue

    outbox_enqueue(send_application_decision_email, application.pk)
    return application


@transaction.atomic
def author_application_decline(*, actor: User, application: AuthorApplication, note: str) -> AuthorApplication:
    """Decline with a note that tells the applicant why (it is e-mailed to them)."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": [_("请写下未通过的原因，申请人会在邮件里看到它。")]})
    application = _application_for_decision(actor=actor, application_id=application.pk)
    application.status = ApplicationStatus.DECLINED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.decision_note = note
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    from accounts.tasks import send_application_decision_email
    from reliability.outbox import outbox_enqueue

    outbox_enqueue(send_application_decision_email, application.pk)
    return application


@transaction.atomic
def author_application_withdraw(*, user: User, application: AuthorApplication) -> AuthorApplication:
    """The applicant takes back a pending application (e.g. to correct it and apply again)."""
    application = AuthorApplication.objects.select_for_update().get(pk=application.pk)
    if application.user_id != user.pk:
        raise PermissionDenied(_("只能撤回自己的申请。"))
    if application.status != ApplicationStatus.PENDING:
        raise StateConflict(_("这份申请已经处理过了，不能再撤回。"))
    application.status = ApplicationStatus.WITHDRAWN
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at"])
    return application


def sign_in_lockout_clear(*, username: str) -> None:
    """Lift a sign-in lockout on this user name (after they proved who they are by resetting
    the password by e-mail). Lockouts of the client address stay."""
    from axes.utils import reset

    reset(username=username)


# ---------------------------------------------------------------------------
# Notices (站内通知)


@transaction.atomic
def notice_send(
    *, user: User, kind: str, text: str, link: str = "", key: str = "", email: bool = False
) -> Notice | None:
    """Tell ``user`` something in their notice list, and by e-mail when ``email``.

    ``key`` makes it idempotent: a second call with the same (user, key) — a task run
    twice, two workers at once — adds nothing and returns None. The e-mail is queued on
    commit through the outbox, so it goes out once, after the notice is stored.
    """
    from accounts.tasks import send_notice_email
    from reliability.outbox import outbox_enqueue

    if key and Notice.objects.filter(user=user, key=key).exists():
        return None
    try:
        with transaction.atomic():  # a savepoint: a concurrent duplicate leaves the caller's transaction usable
            notice = Notice.objects.create(user=user, kind=kind, text=text[:2000], link=link[:300], key=key[:100])
    except IntegrityError:
        return None
    if email and user.email:
        outbox_enqueue(send_notice_email, notice.pk)
    return notice


@dataclass(frozen=True)
class NoticeData:
    """One notice of a batch (notice_send_many)."""

    user: User
    kind: str
    text: str
    key: str
    link: str = ""
    email: bool = False


@transaction.atomic
def notice_send_many(*, notices: list[NoticeData]) -> int:
    """``notice_send`` for a batch (the expiry task's thousands): a constant number of
    queries per batch instead of several per notice. Every notice needs a ``key``; those
    already sent are skipped, and the database drops any a concurrent run added meanwhile.
    Returns how many were new."""
    from accounts.tasks import send_notice_email
    from reliability.outbox import outbox_enqueue_many

    if not notices:
        return 0
    if any(not item.key for item in notices):
        raise ValueError("notice_send_many needs a key for every notice")
    wanted = {(item.user.pk, item.key[:100]): item for item in notices}
    existing = set(
        Notice.objects.filter(user_id__in={u for u, _k in wanted}, key__in={k for _u, k in wanted}).values_list(
            "user_id", "key"
        )
    )
    fresh = [item for pair, item in wanted.items() if pair not in existing]
    Notice.objects.bulk_create(
        [
            Notice(user=item.user, kind=item.kind, text=item.text[:2000], link=item.link[:300], key=item.key[:100])
            for item in fresh
        ],
        ignore_conflicts=True,  # a concurrent run's copy wins; the key keeps one
    )
    mailed = [item for item in fresh if item.email and item.user.email]
    if mailed:
        ids = dict(
            (((user_id, key), pk))
            for pk, user_id, key in Notice.objects.filter(
                user_id__in={item.user.pk for item in mailed}, key__in={item.key[:100] for item in mailed}
            ).values_list("pk", "user_id", "key")
        )
        outbox_enqueue_many(send_notice_email, [(ids[(item.user.pk, item.key[:100])],) for item in mailed])
    return len(fresh)


def notice_mark_read(*, user: User, notice_ids: list[int] | None = None, up_to_id: int | None = None) -> int:
    """Mark the user's notices read (all unread ones when no ids are given); returns how many.

    ``up_to_id`` limits it to the notices the user was shown (ids up to the newest on
    their page), so one that arrived after the page was rendered stays unread.
    """
    unread = Notice.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        unread = unread.filter(pk__in=notice_ids)
    if up_to_id is not None:
        unread = unread.filter(pk__lte=up_to_id)
    return unread.update(read_at=timezone.now())
