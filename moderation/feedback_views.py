"""The feedback page (建议反馈, /feedback/) and the appellant's side of appeals.

- /feedback/?kind=…  one page, one tab per kind (links, so it works without JavaScript);
  the article page's copyright link opens ?kind=copyright&article=<id>.
- /feedback/thanks/  the receipt with the tracking number; /feedback/track/ looks one up.
- /feedback/confirm/<token>/  a visitor confirms their address (a button: mail scanners
  that open links must not confirm for them).
- /feedback/appeals/…  filing an appeal (signed in, or through the one-time link a banned
  account receives) and following its conversation.
Views parse and present; every rule is in moderation.services.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.client import client_ip
from accounts.ratelimit import RateLimited
from cms.error_views import with_retry_after
from cms.errors import StateConflict
from moderation.appeal_selectors import appeals_of, feedback_find, penalties_for_appeal
from moderation.feedback_forms import AppealForm, AppealLinkRequestForm, FeedbackForm, MessageForm
from moderation.models import Appeal, FeedbackKind, Infringement
from moderation.registry import registry
from moderation.selectors import convention_rules
from moderation.services import (
    FeedbackData,
    appeal_create,
    appeal_link_check,
    appeal_link_request,
    appeal_message_add,
    feedback_confirm,
    feedback_submit,
)
from moderation.services.appeals import appeal_access_check, appeal_link
from moderation.services.feedback import feedback_require_visible

KIND_TABS = [
    (FeedbackKind.SUGGESTION, gettext_lazy("产品建议")),
    (FeedbackKind.BUG, gettext_lazy("问题报告")),
    (FeedbackKind.COPYRIGHT, gettext_lazy("版权投诉")),
    (FeedbackKind.REPORT, gettext_lazy("举报")),
    (FeedbackKind.APPEAL, gettext_lazy("处罚申诉")),
]
COMMENT_ANCHOR = re.compile(r"^comment-(\d{1,18})$")


def _client_key(request) -> str:
    return client_ip(request) or "unknown"


def _model(label: str):
    return apps.get_model(label)


def article_from_input(value: str):
    """The article a person names by its link (/a/<slug>/), its slug or its id; None if
    there is no such public article."""
    value = (value or "").strip()
    if not value:
        return None
    model = _model("articles.article")
    # a link's path may be percent-encoded or not: slugs can be Chinese (/a/私域流量的三个误区/)
    path = unquote(urlsplit(value).path) if "/" in value else value
    match = re.search(r"/a/([^/?#]{1,200})/?$", path)
    lookup = (
        {"slug": match.group(1)}
        if match
        else ({"pk": int(value)} if value.isdigit() and len(value) < 19 else {"slug": value})
    )
    adapter = registry.adapter_for(model)
    article = adapter.get_queryset().filter(**lookup).first()
    if article is None or not adapter.reportable_by(article, None):
        return None
    return article


def report_target_from_link(value: str):
    """What a pasted link points at: an article, a comment (#comment-N) or an author page."""
    parts = urlsplit((value or "").strip())
    anchor = COMMENT_ANCHOR.match(parts.fragment or "")
    if anchor:
        comment_model = _model("articles.comment")
        return registry.adapter_for(comment_model).get_queryset().filter(pk=int(anchor.group(1))).first()
    author = re.search(r"/authors/([^/]{1,150})/?$", parts.path)
    if author:
        return _model("accounts.user")._default_manager.filter(username=author.group(1), is_active=True).first()
    return article_from_input(value)


def _errors_into(form, exc: ValidationError, *, fields: set[str]) -> list[str]:
    general = []
    if not hasattr(exc, "error_dict"):
        return exc.messages
    for name, messages_ in exc.message_dict.items():
        if name in fields:
            for message in messages_:
                form.add_error(name, message)
        else:
            general.extend(messages_)
    return general


def feedback_page(request):
    kind = request.POST.get("kind") or request.GET.get("kind") or FeedbackKind.SUGGESTION
    if kind not in FeedbackKind.values:
        kind = FeedbackKind.SUGGESTION
    user = request.user if request.user.is_authenticated else None
    initial = {}
    article = None
    if kind == FeedbackKind.COPYRIGHT and request.GET.get("article"):
        article = article_from_input(request.GET["article"])
        if article is not None:
            initial["article"] = article.get_absolute_url()
    form = FeedbackForm(request.POST or None, request.FILES or None, initial=initial)
    errors: list[str] = []
    status = 200
    retry_after = None
    if request.method == "POST" and kind != FeedbackKind.APPEAL:
        if form.is_valid():
            data = form.cleaned_data
            target, not_found = None, ""
            if kind == FeedbackKind.COPYRIGHT:
                target = article_from_input(data["article"])
                if data["article"] and target is None:
                    not_found = _("找不到这篇文章，请贴上文章页面的完整链接。")
            elif kind == FeedbackKind.REPORT:
                target = report_target_from_link(data["link"])
                if data["link"] and target is None:
                    not_found = _("找不到链接指向的内容：请贴上文章、评论或作者页面的链接。")
            # The service judges every field at once, so each problem shows by its field.
            try:
                feedback = feedback_submit(
                    user=user,
                    data=FeedbackData(
                        kind=kind,
                        text=data["text"],
                        email=data["email"],
                        target=target,
                        infringed=data["infringed"],
                        rights_statement=data["rights_statement"],
                        rights_contact=data["rights_contact"],
                        rule_code=data["rule"],
                        attachments=data["attachments"],
                    ),
                    client_key=_client_key(request),
                )
            except ValidationError as exc:
                errors = _errors_into(form, _rename_target(exc, kind, not_found), fields=set(form.fields))
                status = 400
            except RateLimited as exc:
                errors, status, retry_after = [str(exc)], 429, exc.retry_after
            except PermissionDenied as exc:
                errors, status = [str(exc)], 403
            else:
                request.session["feedback_receipt"] = feedback.tracking_number
                return redirect("feedback:thanks")
        else:
            status = 400
    context = {
        "kind": kind,
        "tabs": KIND_TABS,
        "form": form,
        "errors": errors,
        "article": article,
        "infringements": Infringement.choices,
        "rules": convention_rules() if kind == FeedbackKind.REPORT and user is not None else [],
        "penalties": penalties_for_appeal(user=user) if kind == FeedbackKind.APPEAL and user is not None else [],
        "appeal_form": AppealForm(),
        "link_form": AppealLinkRequestForm(),
    }
    response = render(request, "moderation/feedback/page.html", context, status=status)
    return with_retry_after(response, retry_after)


def _rename_target(exc: ValidationError, kind: str, not_found: str) -> ValidationError:
    """The service speaks of ``target``; the page's field is ``article`` or ``link`` (and
    says "not found" when the person gave a link that leads nowhere)."""
    if not hasattr(exc, "error_dict") or "target" not in exc.error_dict:
        return exc
    name = "article" if kind == FeedbackKind.COPYRIGHT else "link"
    errors = dict(exc.message_dict)
    errors[name] = [not_found] if not_found else errors.pop("target")
    errors.pop("target", None)
    return ValidationError(errors)


def feedback_thanks(request):
    number = request.session.get("feedback_receipt")
    feedback = feedback_find(tracking_number=number) if number else None
    if feedback is None:
        return redirect("feedback:form")
    return render(request, "moderation/feedback/thanks.html", {"feedback": feedback})


def feedback_track(request):
    number = (request.GET.get("number") or "").strip()
    email = (request.GET.get("email") or "").strip()
    feedback = None
    error = ""
    if number:
        feedback = feedback_find(tracking_number=number)
        try:
            if feedback is None:
                raise PermissionDenied
            feedback_require_visible(user=request.user, feedback=feedback, email=email)
        except PermissionDenied:
            # One sentence for a wrong number and a wrong address alike.
            feedback, error = None, _("没有找到：请核对受理编号和提交时填写的邮箱。")
    context = {"feedback": feedback, "number": number, "email": email, "error": error}
    return render(request, "moderation/feedback/track.html", context, status=404 if error else 200)


def feedback_confirm_view(request, token: str):
    if request.method != "POST":
        return render(request, "moderation/feedback/confirm.html", {"token": token})
    try:
        feedback = feedback_confirm(token=token)
    except ValidationError as exc:
        return render(
            request, "moderation/feedback/confirm.html", {"token": token, "error": exc.messages[0]}, status=400
        )
    request.session["feedback_receipt"] = feedback.tracking_number
    messages.success(request, _("邮箱已确认，我们开始处理你的反馈了。"))
    return redirect("feedback:thanks")


# ---------------------------------------------------------------------------
# Appeals, the appellant's side


@require_POST
def appeal_new(request):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("feedback:form") + "?kind=appeal")
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要申诉的处罚。"))
        return redirect(reverse("feedback:form") + "?kind=appeal")
    from moderation.models import Penalty

    penalty = Penalty.objects.filter(pk=form.cleaned_data["penalty"], user=request.user).first()
    if penalty is None:
        raise Http404(_("找不到这项处罚。"))
    try:
        appeal = appeal_create(user=request.user, penalty=penalty, text=form.cleaned_data["text"])
    except (ValidationError, StateConflict, PermissionDenied) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, message)
        return redirect(reverse("feedback:form") + f"?kind=appeal#penalty-{penalty.pk}")
    messages.success(
        request, _("申诉已提交，受理编号 %(number)s。审核员会尽快处理。") % {"number": appeal.tracking_number}
    )
    return redirect("feedback:appeal", number=appeal.tracking_number)


@require_POST
def appeal_request_link(request):
    form = AppealLinkRequestForm(request.POST)
    if form.is_valid():
        try:
            appeal_link_request(
                case_number=form.cleaned_data["case_number"],
                email=form.cleaned_data["email"],
                client_key=_client_key(request),
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(reverse("feedback:form") + "?kind=appeal")
        except RateLimited as exc:
            messages.error(request, str(exc))
            return redirect(reverse("feedback:form") + "?kind=appeal")
    else:
        messages.error(request, _("请填写案件编号和账号邮箱。"))
        return redirect(reverse("feedback:form") + "?kind=appeal")
    # The same sentence whether or not anything matched.
    messages.success(
        request,
        _("如果案件编号和邮箱与被处罚的账号相符，我们已经把申诉链接发到这个邮箱，请查收（也看看垃圾邮件）。"),
    )
    return redirect(reverse("feedback:form") + "?kind=appeal")


def appeal_link_page(request, token: str):
    try:
        penalty, nonce = appeal_link_check(token=token)
    except (ValidationError, StateConflict) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        return render(request, "moderation/feedback/appeal_link.html", {"error": message}, status=410)
    form = AppealForm(request.POST or None, initial={"penalty": penalty.pk})
    error = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            appeal = appeal_create(user=penalty.user, penalty=penalty, text=form.cleaned_data["text"], link_nonce=nonce)
        except ValidationError as exc:
            error, status = exc.messages[0], 400
        except (StateConflict, PermissionDenied) as exc:
            error, status = str(exc), 409
        else:
            messages.success(
                request,
                _("申诉已提交，受理编号 %(number)s。审核结果会发到你的邮箱。") % {"number": appeal.tracking_number},
            )
            return redirect(appeal_link(appeal))
    item = penalties_for_appeal(user=penalty.user, penalty_ids=[penalty.pk])[0]
    context = {"item": item, "form": form, "error": error, "action": request.path}
    return render(request, "moderation/feedback/appeal_link.html", context, status=status)


def appeal_page(request, number: str):
    """The appellant's page: the appeal, what it is about, the conversation, the answer box."""
    appeal = (
        Appeal.objects.select_related("penalty", "user", "replacement").filter(tracking_number=number.upper()).first()
    )
    token = request.POST.get("t") or request.GET.get("t") or ""
    if appeal is None:
        raise Http404(_("找不到这项申诉。"))
    by_token = bool(token) and appeal_access_check(appeal=appeal, token=token)
    is_owner = request.user.is_authenticated and request.user.pk == appeal.user_id
    if not (is_owner or by_token):
        if request.user.is_authenticated and request.user.has_perm("moderation.moderate_content"):
            return redirect("feedback:review", pk=appeal.pk)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404(_("找不到这项申诉。"))
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal_message_add(actor=appeal.user, appeal=appeal, text=form.cleaned_data["text"])
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        except (StateConflict, PermissionDenied) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("回复已发送，审核员会继续处理你的申诉。"))
        return redirect(request.path + (f"?t={token}" if by_token and not is_owner else ""))
    context = {
        "appeal": appeal,
        "evidence": appeal.evidence,
        "messages_list": list(appeal.messages.all()),
        "form": form,
        "token": token if by_token and not is_owner else "",
    }
    return render(request, "moderation/feedback/appeal.html", context)


def my_appeals(user):
    """For the /accounts/me/ appeals block (moderation_appeal_tags)."""
    return list(appeals_of(user)[:20])
