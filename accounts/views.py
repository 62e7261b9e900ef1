from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.client import client_ip, client_user_agent
from accounts.forms import AuthorApplicationForm, DecisionForm, ProfileForm, SignInForm, SignUpForm
from accounts.models import AuthorApplication
from accounts.ratelimit import RateLimited
from cms.error_views import with_retry_after
from cms.errors import StateConflict
from cms.next_url import safe_next_url
from moderation import selectors as moderation_selectors

REVIEW_PERMISSION = "accounts.review_authorapplication"


def _permission_required(perm: str):
    """Visitors are sent to sign in; signed-in users without the permission get a 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied(_("这个页面只对编辑开放。"))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _add_service_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors on their fields, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _safe_next(request, default: str) -> str:
    return safe_next_url(request, request.POST.get("next") or request.GET.get("next"), default)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("欢迎回来，%(name)s。") % {"name": self.request.user.display_name})
        return response


class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("你已退出登录。"))
        return response


def signup(request):
    if request.user.is_authenticated:
        messages.info(request, _("你已经登录了，不需要再注册。"))
        return redirect("accounts:me")
    form = SignUpForm(request.POST or None)
    status = 200
    retry_after = None
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_signup(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                ip_address=client_ip(request),
                user_agent=client_user_agent(request),
            )
        except ValidationError as error:
            _add_service_error(form, error)
        except RateLimited as error:
            form.add_error(None, str(error))
            status, retry_after = 429, error.retry_after
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("注册成功，欢迎来到%(site)s！验证邮件已发到 %(email)s，请打开邮件里的链接完成验证。")
                % {"site": settings.SITE_NAME, "email": user.email},
            )
            return redirect(_safe_next(request, reverse("accounts:me")))
    if request.method == "POST" and status == 200:
        status = 400 if form.errors else 200
    response = render(
        request, "registration/signup.html", {"form": form, "next": _safe_next(request, "")}, status=status
    )
    return with_retry_after(response, retry_after)


def verify_email(request, token: str):
    try:
        user = services.email_verify(token=token)
    except ValidationError as error:
        return render(request, "accounts/verify_email_failed.html", {"message": error.messages[0]}, status=400)
    except StateConflict as error:
        messages.info(request, str(error))
        return redirect("accounts:me" if request.user.is_authenticated else "accounts:login")
    messages.success(request, _("邮箱 %(email)s 验证成功，谢谢！") % {"email": user.email})
    return redirect("accounts:me" if request.user.is_authenticated else "accounts:login")


@require_POST
@login_required
def verify_email_resend(request):
    try:
        services.email_verification_resend(user=request.user)
    except RateLimited as error:
        messages.warning(request, str(error))
    except StateConflict as error:
        messages.info(request, str(error))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("新的验证邮件已发到 %(email)s，请查收（也看看垃圾邮件箱）。") % {"email": request.user.email}
        )
    return redirect(_safe_next(request, reverse("accounts:me")))


def _notices_context(user, page_number) -> dict:
    """One page of the user's notices, the unread count (the header's badge reuses it, so
    the page counts once) and the newest notice's id, up to which 全部标为已读 reads."""
    page = Paginator(selectors.notice_list_for(user), selectors.NOTICE_PAGE_SIZE).get_page(page_number)
    if page.number == 1:
        newest_id = page[0].pk if page else None
    else:
        newest_id = selectors.notice_list_for(user).values_list("pk", flat=True).first()
    return {
        "notice_page": page,
        "notice_unread": selectors.notice_unread_count(user),
        "notice_newest_id": newest_id,
    }


@login_required
def me(request):
    user = request.user
    return render(
        request,
        "accounts/me.html",
        {
            "role_labels": selectors.user_role_labels(user),
            "is_author": selectors.user_is_author(user),
            "application": selectors.author_application_latest_for(user),
            "muted_until": selectors.user_muted_until(user),
            "sign_ins": selectors.sign_in_records_for(user, limit=5),
            "penalties": moderation_selectors.penalty_list_for_user(user=user),
            "reports": moderation_selectors.report_list_for_reporter(user=user),
            "now": timezone.now(),
            **_notices_context(user, 1),
        },
    )


@login_required
def notices(request):
    """Every notice, 50 a page (/accounts/me/ shows the first page)."""
    return render(request, "accounts/notices.html", _notices_context(request.user, request.GET.get("page")))


@require_POST
@login_required
def notices_mark_read(request):
    """全部标为已读: the notices the user was shown (up to the newest on their page)."""
    try:
        up_to_id = int(request.POST.get("up_to", ""))
    except ValueError:
        up_to_id = None
    if up_to_id is not None and not 0 < up_to_id < 2**63:  # a bigint: anything else is not an id we gave
        up_to_id = None
    marked = services.notice_mark_read(user=request.user, up_to_id=up_to_id)
    if request.headers.get("HX-Request"):
        # The list in place, and the header's badge out of band.
        context = {**_notices_context(request.user, request.POST.get("page")), "notices_marked": marked}
        return render(request, "accounts/includes/notices_marked.html", context)
    if marked:
        messages.success(request, _("已将 %(count)s 条通知标为已读。") % {"count": marked})
    else:
        messages.info(request, _("没有未读的通知。"))
    return redirect(_safe_next(request, reverse("accounts:me") + "#notices"))


@login_required
def me_edit(request):
    user = request.user
    if not selectors.user_is_author(user):
        messages.info(request, _("笔名和简介在成为作者后才能设置。申请时填写的笔名会在通过后自动生效。"))
        return redirect("accounts:become_author")
    form = ProfileForm(request.POST or None, initial={"pen_name": user.pen_name, "bio": user.bio})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_profile_update(actor=user, user=user, **form.cleaned_data)
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("资料已保存。新的笔名会用在你之后的文章上。"))
            return redirect("accounts:me")
    return render(request, "accounts/me_edit.html", {"form": form}, status=400 if form.errors else 200)


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:me")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("密码已修改。其他设备上的登录需要用新密码重新登录。"))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    success_url = reverse_lazy("accounts:password_reset_done")
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    extra_email_context = {"site_name": settings.SITE_NAME}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["email"].label = _("注册邮箱")
        return form


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.sign_in_lockout_clear(username=form.user.get_username())
        return response


def become_author(request):
    """The author programme: what it is, how review works, and the application form."""
    user = request.user
    context = {
        "is_author": selectors.user_is_author(user),
        "pending": selectors.author_application_pending_for(user),
        "latest": selectors.author_application_latest_for(user),
    }
    form = None
    status = 200
    can_apply = (
        user.is_authenticated
        and not context["is_author"]
        and context["pending"] is None
        and user.has_perm("accounts.add_authorapplication")
    )
    if can_apply:
        initial = {}
        if context["latest"] is not None:
            latest = context["latest"]
            initial = {"pen_name": latest.pen_name, "bio": latest.bio, "links": latest.links}
        form = AuthorApplicationForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.author_application_submit(user=user, **form.cleaned_data)
            except ValidationError as error:
                _add_service_error(form, error)
            except (StateConflict, PermissionDenied) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("申请已提交！编辑会在 5 个工作日内审核，结果会发到你的邮箱。"))
                return redirect("accounts:become_author")
        if form.errors:
            status = 400
    elif request.method == "POST":
        if not user.is_authenticated:
            return redirect(f"{settings.LOGIN_URL}?next={reverse('accounts:become_author')}")
        messages.info(request, _("你现在不需要提交申请。"))
        return redirect("accounts:become_author")
    context["form"] = form
    return render(request, "accounts/become_author.html", context, status=status)


@require_POST
@login_required
def application_withdraw(request, pk: int):
    application = get_object_or_404(AuthorApplication, pk=pk, user=request.user)
    try:
        services.author_application_withdraw(user=request.user, application=application)
    except StateConflict as error:
        messages.info(request, str(error))
    else:
        messages.success(request, _("申请已撤回。修改后可以随时重新提交。"))
    return redirect("accounts:become_author")


@_permission_required(REVIEW_PERMISSION)
def review_list(request):
    return render(
        request,
        "accounts/review_list.html",
        {
            "pending": selectors.author_application_list_pending(),
            "decided": selectors.author_application_list_decided(limit=20),
        },
    )


@require_POST
@_permission_required(REVIEW_PERMISSION)
def review_decide(request, pk: int):
    application = get_object_or_404(AuthorApplication, pk=pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    decision = request.POST.get("decision")
    name = application.user.username
    try:
        if decision == "approve":
            services.author_application_approve(actor=request.user, application=application, note=note)
            messages.success(request, _("已通过 %(name)s 的申请，对方已成为作者，通知邮件已发出。") % {"name": name})
        elif decision == "decline":
            services.author_application_decline(actor=request.user, application=application, note=note)
            messages.success(request, _("已拒绝 %(name)s 的申请，审核意见已通过邮件告知对方。") % {"name": name})
        else:
            messages.error(request, _("请选择“通过”或“不通过”。"))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    except StateConflict as error:
        messages.info(request, str(error))
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect("accounts:review")


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: explain in Chinese, inside the site chrome, that nothing was saved."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
