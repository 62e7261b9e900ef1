"""The report form (举报): ``/report/?target_type=article|comment|user&target_id=N``.

A plain page that works without JavaScript; with htmx the same view answers with the form
inside a dialog (``moderation/includes/report_dialog.html``), and the POST answers with the
box that replaces it. The article and author pages only carry plain links with the
target's id, so their caches and query budgets are untouched: the rules load here.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.ratelimit import RateLimited
from cms.error_views import with_retry_after
from moderation.forms import ReportForm
from moderation.registry import registry
from moderation.selectors import convention_rules, report_open_exists
from moderation.services import report_create, report_target_get


def _errors(exc: ValidationError) -> tuple[dict[str, list[str]], list[str]]:
    """(field errors, errors about the target or anything else) of a service's ValidationError."""
    if not hasattr(exc, "error_dict"):
        return {}, exc.messages
    fields, general = {}, []
    for name, messages in exc.message_dict.items():
        if name in ("rule", "note"):
            fields[name] = messages
        else:
            general.extend(messages)
    return fields, general


def report(request):
    target_type = request.GET.get("target_type", "")
    target_id = request.GET.get("target_id", "")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    target = None
    if target_id.isdigit() and len(target_id) < 19:
        try:
            target = report_target_get(target_type=target_type, target_id=int(target_id))
        except ValidationError:
            target = None
    if target is None:
        raise Http404(_("要举报的内容不存在，可能已经被删除了。"))
    adapter = registry.adapter_for(target)
    rules = convention_rules()
    form = ReportForm(request.POST or None, rules=rules)
    errors: list[str] = []
    status = 200
    retry_after = None
    done = None
    blocked = False  # the form is not offered at all
    owner = adapter.get_owner(target)
    if owner is not None and owner.pk == request.user.pk:
        errors, blocked = [_("不能举报自己发布的内容或自己的账号。")], True
        status = 400 if request.method == "POST" else 200
    elif request.method == "POST":
        if form.is_valid():
            try:
                done = report_create(
                    reporter=request.user,
                    target=target,
                    rule_code=form.cleaned_data["rule"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                fields, errors = _errors(exc)
                for name, messages in fields.items():
                    form.add_error(name, messages)
                status = 400
            except RateLimited as exc:
                errors, status, retry_after = [str(exc)], 429, exc.retry_after
            except PermissionDenied as exc:
                errors, status = [str(exc)], 403
        else:
            status = 400
    elif report_open_exists(reporter=request.user, target=target):
        errors, blocked = [_("你已经举报过这条内容，审核员处理后会在站内通知里告诉你结果。")], True
    selected = form["rule"].value() or ""
    context = {
        "form": form,
        "rules": rules,
        "rule_text": next((rule.text for rule in rules if rule.code == selected), ""),
        "errors": errors,
        "done": done,
        "label": adapter.get_label(),
        "title": adapter.get_title(target),
        "text": (adapter.get_text(target) or "")[:120],
        "target_url": adapter.get_url(target),
        "action": request.get_full_path(),
        "can_report": not blocked,
    }
    if request.htmx:
        # htmx swaps only 2xx answers: the error is in the box it swaps in (Retry-After still says when).
        template = (
            "moderation/includes/report_box.html"
            if request.method == "POST"
            else "moderation/includes/report_dialog.html"
        )
        return with_retry_after(render(request, template, {**context, "in_dialog": True}), retry_after)
    return with_retry_after(render(request, "moderation/report.html", context, status=status), retry_after)
