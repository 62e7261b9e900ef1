from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cms.errors import StateConflict
from cms.next_url import safe_next_url
from moderation.dry_run import LexiconChange, lexicon_dry_run
from moderation.forms import ResolveForm, TermForm, rule_choices
from moderation.lexicon import lexicon_version
from moderation.models import Rule, ScanRecord, Term, TermAction
from moderation.registry import NotRegistered, registry
from moderation.selectors import (
    audit_list,
    convention_current,
    queue_items,
    term_list,
)
from moderation.services import (
    TermData,
    scan_request_targets,
    scan_resolve,
    term_clean,
    term_create,
    term_disable,
    term_enable,
    term_update,
)

LEXICON_PAGE_SIZE = 50


def convention(request):
    """The community convention in force, as a public page."""
    version = convention_current()
    categories = []
    if version is not None:
        categories = version.categories.prefetch_related(Prefetch("rules", queryset=Rule.objects.order_by("position")))
    return render(request, "moderation/convention.html", {"convention": version, "categories": categories})


def rule_titles() -> dict[str, str]:
    """Rule code → title in the convention in force (one query), to name findings' rules."""
    return dict(Rule.objects.filter(convention__is_current=True).values_list("code", "title"))


def permission_any(*perms: str):
    """Sign-in required; then 403 unless the user holds one of ``perms``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(request.user.has_perm(perm) for perm in perms):
                raise PermissionDenied(_("你没有访问这个页面的权限。"))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# ---------------------------------------------------------------------------
# Lexicon


@permission_any("moderation.view_term")
def lexicon(request):
    filters = {
        "q": request.GET.get("q", "").strip()[:50],
        "rule": request.GET.get("rule", "").strip()[:10],
        "action": request.GET.get("action", "") if request.GET.get("action") in TermAction.values else "",
        "state": request.GET.get("state", "") if request.GET.get("state") in ("enabled", "disabled") else "",
    }
    page = Paginator(term_list(**filters), LEXICON_PAGE_SIZE).get_page(request.GET.get("page"))
    totals = Term.objects.aggregate(total=Count("id"), enabled=Count("id", filter=Q(enabled=True)))
    context = {
        "page": page,
        "filters": filters,
        "totals": totals,
        "version": lexicon_version()[0],
        "rule_choices": rule_choices(),
        "action_choices": TermAction.choices,
        "querystring": _query_without_page(request),
    }
    if request.htmx and request.htmx.target == "term-results":
        return render(request, "moderation/includes/term_results.html", context)
    return render(request, "moderation/lexicon.html", context)


def _change_payload(kind: str, term: Term | None, data: TermData | None) -> dict:
    """What a confirmation must match: the change itself and the lexicon it was tried on."""
    return {
        "kind": kind,
        "term": term.pk if term is not None else None,
        "data": [data.term, data.rule_code, data.action, data.whole_word, list(data.contexts), data.note]
        if data is not None
        else None,
        "lexicon": lexicon_version()[1],
    }


CONFIRM_SALT = "moderation.lexicon-change"
# At most this many recent items are rescanned after a confirmed change (the dry run's limit
# per registered model bounds it already; this bounds the token).
RESCAN_LIMIT = 500


def _confirm_token(payload: dict, report) -> str:
    """Signed: the change that was dry-run, and the items whose scans it alters (rescanned on save)."""
    return signing.dumps({"change": payload, "rescan": report.targets()[:RESCAN_LIMIT]}, salt=CONFIRM_SALT)


def _confirmed(request, payload: dict) -> list | None:
    """The items to rescan when the POST confirms exactly the change that was dry-run on
    this lexicon; None when it does not (no confirmation, another change, a newer lexicon)."""
    if "confirm" not in request.POST:
        return None
    try:
        token = signing.loads(request.POST.get("token", ""), salt=CONFIRM_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(token, dict) or token.get("change") != payload:
        return None
    return token.get("rescan") or []


def _saved_message(text: str, rescanned: int) -> str:
    if rescanned:
        return text + " " + _("试运行中受影响的 %(n)d 条最近内容已重新排队扫描。") % {"n": rescanned}
    return text


def _apply_form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _term_editor(request, *, kind: str, term: Term | None = None):
    initial = TermForm.initial_for(term) if term is not None else None
    form = TermForm(request.POST or None, initial=initial)
    report = None
    token = ""
    if request.method == "POST" and form.is_valid():
        try:
            data = term_clean(data=form.to_data())
        except ValidationError as exc:
            _apply_form_errors(form, exc)
        else:
            payload = _change_payload(kind, term, data)
            rescan = _confirmed(request, payload)
            if rescan is not None:
                try:
                    if kind == "create":
                        saved = term_create(actor=request.user, data=data)
                        text = _("已添加词条“%(term)s”，工作进程会在下一次扫描时使用。") % {"term": saved.term}
                    else:
                        saved = term_update(actor=request.user, term=term, data=data)
                        text = _("已保存词条“%(term)s”，工作进程会在下一次扫描时使用。") % {"term": saved.term}
                    messages.success(request, _saved_message(text, scan_request_targets(targets=rescan)))
                    return redirect(reverse("moderation:lexicon") + "?" + urlencode({"q": saved.term}))
                except ValidationError as exc:
                    _apply_form_errors(form, exc)
            else:
                if "confirm" in request.POST:
                    messages.warning(
                        request,
                        _("试运行之后词条内容或词库有了变化，下面是按最新内容重新试运行的结果，请核对后再确认。"),
                    )
                report = lexicon_dry_run(change=LexiconChange(kind=kind, data=data, term=term))
                token = _confirm_token(payload, report)
    return render(
        request,
        "moderation/term_form.html",
        {"form": form, "term": term, "kind": kind, "report": report, "token": token},
    )


@permission_any("moderation.add_term")
def term_add(request):
    return _term_editor(request, kind="create")


@permission_any("moderation.change_term")
def term_edit(request, pk: int):
    return _term_editor(request, kind="update", term=get_object_or_404(Term, pk=pk))


@permission_any("moderation.change_term")
def term_toggle(request, pk: int):
    """Disable or enable a term: GET shows the dry run, POST confirms it."""
    term = get_object_or_404(Term, pk=pk)
    kind = "disable" if term.enabled else "enable"
    payload = _change_payload(kind, term, None)
    rescan = _confirmed(request, payload) if request.method == "POST" else None
    if rescan is not None:
        reason = request.POST.get("reason", "")[:200]
        try:
            if kind == "disable":
                term_disable(actor=request.user, term=term, reason=reason)
                text = _("已停用词条“%(term)s”，之后的扫描不再匹配它。") % {"term": term.term}
            else:
                term_enable(actor=request.user, term=term, reason=reason)
                text = _("已重新启用词条“%(term)s”。") % {"term": term.term}
            messages.success(request, _saved_message(text, scan_request_targets(targets=rescan)))
        except StateConflict as exc:
            messages.error(request, str(exc))
        return redirect(reverse("moderation:lexicon") + "?" + urlencode({"q": term.term}))
    if request.method == "POST":
        messages.warning(request, _("试运行之后词库有了变化，下面是重新试运行的结果，请核对后再确认。"))
    report = lexicon_dry_run(change=LexiconChange(kind=kind, term=term))
    return render(
        request,
        "moderation/term_toggle.html",
        {"term": term, "kind": kind, "report": report, "token": _confirm_token(payload, report)},
    )


# ---------------------------------------------------------------------------
# The audit log and scan resolution (the queue of cases is in moderation.case_views)


AUDIT_PAGE_SIZE = 50
# Module level, so the labels are lazy: translated when a page shows them.
AUDIT_FILTERS = [
    ("", gettext_lazy("全部")),
    ("scan", gettext_lazy("扫描处理")),
    ("term", gettext_lazy("词库")),
    ("textmodel", gettext_lazy("扫描模型")),
    ("article", gettext_lazy("文章")),
    ("comment", gettext_lazy("评论")),
]


@permission_any("moderation.moderate_content")
def audit(request):
    """The append-only audit log, newest first."""
    prefix = request.GET.get("prefix", "")
    if prefix not in dict(AUDIT_FILTERS):
        prefix = ""
    actor = request.GET.get("actor", "").strip()[:150]
    page = Paginator(audit_list(prefix=prefix, actor=actor), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/audit.html",
        {
            "page": page,
            "prefix": prefix,
            "actor": actor,
            "filters": AUDIT_FILTERS,
            "querystring": _query_without_page(request),
        },
    )


@require_POST
@permission_any("articles.review_article", "moderation.moderate_content")
def scan_resolve_view(request, pk: int):
    """Dismiss, escalate or remove from the queue (or from another app's review screen,
    which passes ``next``). Answers htmx with the updated queue item."""
    record = get_object_or_404(ScanRecord, pk=pk)
    back = safe_next_url(request, request.POST.get("next"), reverse("moderation:queue"))
    form = ResolveForm(request.POST)
    error = ""
    done = ""
    obj = None
    try:
        adapter = registry.adapter_for(record.content_type.model_class())
        obj = adapter.get_queryset().filter(pk=record.object_id).first()
    except NotRegistered:
        adapter = None
    if obj is None:
        error = _("内容已经不存在了。")
    elif not record.is_latest:
        error = _("内容在扫描后又改过了，请处理最新一次扫描的结果。")
    elif not form.is_valid():
        error = " ".join(message for errors in form.errors.values() for message in errors)
    else:
        outcome = form.cleaned_data["outcome"]
        try:
            scan_resolve(actor=request.user, obj=obj, outcome=outcome, reason=form.cleaned_data["reason"])
        except (ValidationError, StateConflict, PermissionDenied) as exc:
            error = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        else:
            done = {
                "dismiss": _("已放行：暂扣已解除，处理理由已记入操作记录。"),
                "escalate": _("已转交社区治理：内容保持暂扣，等待审核员处理。"),
                "remove": _("已删除：内容不再公开，处理理由已记入操作记录。"),
            }[outcome]
    if request.htmx:
        record.refresh_from_db()
        item = queue_items([record])[0]
        return render(
            request,
            "moderation/includes/queue_item.html",
            {
                "item": item,
                "done": done,
                "error": error,
                "rule_titles": rule_titles(),
                # Nothing typed is lost when the answer is "not done".
                "reason": request.POST.get("reason", "")[:1000] if error else "",
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(back)
