"""Cases in the browser: the queue of open cases (/moderation/), one case with its
evidence, reports, history and the decision form (/moderation/cases/<id>/), and the
monthly transparency figures for moderators (/moderation/stats/) and for everyone
(/convention/report/)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.errors import StateConflict
from moderation.forms import DecisionForm
from moderation.models import Aggravation, PenaltyStep
from moderation.selectors import (
    CASE_AGES,
    CaseFilters,
    case_detail,
    case_next_open,
    case_queue,
    case_queue_counts,
    case_rows,
    case_target_types,
    convention_rules,
    moderation_monthly_stats,
)
from moderation.services import case_decide
from moderation.views import _query_without_page, permission_any

CASE_PAGE_SIZE = 20

# Module level, so the labels are lazy: translated when a page shows them.
SOURCE_TABS = [
    ("all", gettext_lazy("全部")),
    ("scan", gettext_lazy("扫描")),
    ("report", gettext_lazy("举报")),
    ("both", gettext_lazy("扫描和举报")),
]
AGE_LABELS = {"today": gettext_lazy("今天"), "week": gettext_lazy("7 天内"), "older": gettext_lazy("更早")}
CATEGORY_CHOICES = range(1, 10)


def _category_options() -> list[tuple[int, str]]:
    """The queue's category filter: "1 违法信息", "2 不友善"… from the convention in force
    (one query); a number the convention does not name is shown alone."""
    from moderation.models import RuleCategory

    names = dict(RuleCategory.objects.filter(convention__is_current=True).values_list("number", "name"))
    return [(n, f"{n} {names[n]}" if names.get(n) else str(n)) for n in CATEGORY_CHOICES]


def _tab_query(request, source: str) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("source", None)
    if source != "all":
        query["source"] = source
    return query.urlencode()


@permission_any("moderation.moderate_content")
def queue(request):
    filters = CaseFilters.parse(request.GET)
    page = Paginator(case_queue(filters=filters), CASE_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = case_queue_counts(filters=filters)
    context = {
        "page": page,
        "rows": case_rows(page.object_list),
        "filters": filters,
        "tabs": [
            (value, name, counts[value], _tab_query(request, value), (filters.source or "all") == value)
            for value, name in SOURCE_TABS
        ],
        "categories": _category_options(),
        "target_types": case_target_types(),
        "ages": [(value, AGE_LABELS[value]) for value in CASE_AGES],
        "querystring": _query_without_page(request),
    }
    return render(request, "moderation/cases.html", context)


def _decision_form(request, detail, rules):
    proposal = detail.proposal
    suggested = proposal.suggested_aggravations if proposal is not None else {}
    aggravations = [(value, label) for value, label in Aggravation.choices]
    steps = list(PenaltyStep.choices)
    initial = {
        "rule": detail.case.rule_code,
        "aggravations": list(suggested),
        "step": proposal.step if proposal is not None else None,
        "remove_content": True,
    }
    return DecisionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        rules=rules,
        aggravation_choices=aggravations,
        step_choices=steps,
    )


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


DONE = {
    "dismiss": gettext_lazy("已驳回：举报不成立，内容保留（暂扣或隐藏已解除），举报人会收到处理结果。"),
    "remove": gettext_lazy("已删除内容，没有处罚账号；当事人和举报人都会收到通知。"),
    "warn": gettext_lazy("已警告当事人；当事人和举报人都会收到通知。"),
    "penalize": gettext_lazy("已处罚当事人：%(step)s。当事人和举报人都会收到通知，当事人可以在 30 天内申诉。"),
}


@permission_any("moderation.moderate_content")
def case_page(request, pk: int):
    detail = case_detail(pk=pk)
    rules = convention_rules()
    form = _decision_form(request, detail, rules)
    status = 200
    if request.method == "POST":
        status = 400
        if not detail.case.is_open:
            messages.error(request, _("这个案件已经处理过了，可能另一位审核员刚刚做了决定。"))
            return redirect(reverse("moderation:case", args=[pk]))
        if form.is_valid():
            data = form.cleaned_data
            action = data["action"]
            try:
                case = case_decide(
                    actor=request.user,
                    case=detail.case,
                    action=action,
                    reason=data["reason"],
                    rule_code=data["rule"],
                    aggravations=data["aggravations"],
                    step=data["step"] if action == "penalize" else None,
                    step_reason=data["step_reason"],
                    remove_content=data["remove_content"] if action in ("warn", "penalize") else None,
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            except (StateConflict, PermissionDenied) as exc:
                form.add_error(None, str(exc))
                status = 409 if isinstance(exc, StateConflict) else 403
            else:
                text = str(DONE[action])
                if action == "penalize":
                    text = text % {"step": PenaltyStep(case.step).label}
                messages.success(request, text)
                return redirect(reverse("moderation:case", args=[pk]))
    next_case = case_next_open(after=detail.case)
    suggested = detail.proposal.suggested_aggravations if detail.proposal is not None else {}
    checked = form["aggravations"].value() or []
    aggravation_rows = [
        (value, label, suggested.get(value, ""), value in checked) for value, label in Aggravation.choices
    ]
    return render(
        request,
        "moderation/case.html",
        {
            "detail": detail,
            "case": detail.case,
            "form": form,
            "rules": rules,
            "next_case": next_case,
            "aggravation_rows": aggravation_rows,
            "aggravation_labels": dict(Aggravation.choices),
            "steps": PenaltyStep.choices,
        },
        status=status,
    )


@permission_any("moderation.moderate_content")
def stats(request):
    return render(request, "moderation/stats.html", {"months": moderation_monthly_stats(), "public": False})


def transparency_report(request):
    """社区治理月报: the same figures for everyone, with nothing about any person."""
    return render(request, "moderation/transparency.html", {"months": moderation_monthly_stats(), "public": True})
