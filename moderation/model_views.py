"""The 模型版本 screens: the scanner's text model versions, their dry runs, activation and
rollback (moderators and admins). Every change goes through moderation.services.text_models."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cms.errors import StateConflict
from moderation.model_dry_run import dry_run_limit
from moderation.models import TextModelState, TextModelVersion
from moderation.scanner.corpus import CATEGORIES
from moderation.services.text_models import (
    ACTIVATE_PERM,
    VIEW_PERM,
    activation_refusal,
    baseline_figures,
    latest_dry_run,
    text_model_activate,
    text_model_dry_run,
)
from moderation.views import permission_any

PAGE_SIZE = 30
DRY_RUN_LIMIT_MAX = 1000


def category_names() -> dict[int, str]:
    from moderation.management.commands.moderation_train import category_names as names

    return names()


def figure_rows(candidate: dict, baseline: dict | None, names: dict[int, str]) -> list[dict]:
    """One row per category with the version's figures and (if given) the active model's."""
    rows = []
    per_candidate = (candidate or {}).get("per_category") or {}
    per_baseline = (baseline or {}).get("per_category") or {}
    for category in CATEGORIES:
        mine = per_candidate.get(str(category))
        theirs = per_baseline.get(str(category))
        if mine is None and theirs is None:
            continue
        rows.append({"category": category, "name": names.get(category, ""), "mine": mine, "theirs": theirs})
    return rows


# What each evaluation set is, in plain words (by the set's file name, as training stores it).
EVAL_SET_LABELS = {
    "heldout_round5.jsonl": gettext_lazy("项目自写的留出评测集（第 5 轮）"),
    "heldout_round6.jsonl": gettext_lazy("项目自写的留出评测集（第 6 轮）"),
    "clean_prose.jsonl": gettext_lazy("正常的新闻和点评文字"),
    "clean_prose_2.jsonl": gettext_lazy("正常的新闻和点评文字（第二组）"),
    "dev.jsonl": gettext_lazy("审核开发集 moderation-dev"),
    "COLD dev.csv": gettext_lazy("COLD 开发集（真实评论）"),
}


def eval_rows(mine: dict, theirs: dict | None) -> list[dict]:
    """One row per evaluation set the version was measured on: a plain label (never a server
    path), its size, whether it has violating items at all (a set of clean text has no F1), the
    version's figures and the active model's on the same set."""
    rows = []
    for name, figures in (mine or {}).items():
        figures = figures or {}
        per_category = figures.get("per_category") or {}
        rows.append(
            {
                "name": name,
                "label": EVAL_SET_LABELS.get(name, Path(str(name)).name),
                "items": figures.get("items"),
                "has_violations": any((row or {}).get("support") for row in per_category.values()),
                "mine": figures,
                "theirs": (theirs or {}).get(name),
            }
        )
    return rows


def _active_number() -> int:
    active_id = TextModelState.objects.filter(pk=1).values_list("active_id", flat=True).first()
    if not active_id:
        return 0
    return TextModelVersion.objects.filter(pk=active_id).values_list("number", flat=True).first() or 0


@permission_any(VIEW_PERM, ACTIVATE_PERM)
def text_models(request):
    versions = TextModelVersion.objects.defer("data").select_related("created_by", "activated_by").order_by("-number")
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/text_models.html",
        {"page": page, "active_number": _active_number(), "querystring": ""},
    )


def _group(items: list[dict], kind: str) -> list[dict]:
    """Per category, the items with their sentences of one kind ("gained" or "lost")."""
    names = category_names()
    groups: dict[int, dict] = {}
    for item in items:
        for finding in item.get(kind) or []:
            group = groups.setdefault(
                finding["category"], {"category": finding["category"], "name": names.get(finding["category"], "")}
            )
            entries = group.setdefault("entries", {})
            key = (item["content_type"], item["object_id"])
            entry = entries.setdefault(key, {"item": item, "findings": []})
            entry["findings"].append(finding)
    out = []
    for category in sorted(groups):
        group = groups[category]
        group["entries"] = list(group["entries"].values())
        out.append(group)
    return out


@permission_any(VIEW_PERM, ACTIVATE_PERM)
def text_model(request, number: int):
    version = get_object_or_404(
        TextModelVersion.objects.defer("data").select_related("created_by", "activated_by"), number=number
    )
    run = latest_dry_run(actor=request.user, version=version)
    active_number = _active_number()
    baseline = TextModelVersion.objects.defer("data").filter(number=active_number).first() if active_number else None
    names = category_names()
    theirs = baseline_figures(baseline) if (baseline is None or baseline.pk != version.pk) else None
    summary = run.summary if run is not None else None
    context = {
        "version": version,
        "active_number": active_number,
        "baseline": baseline,
        "cv_rows": figure_rows((version.figures or {}).get("cv") or {}, (theirs or {}).get("cv"), names),
        "cv_mine": (version.figures or {}).get("cv") or {},
        "cv_theirs": (theirs or {}).get("cv") if theirs else None,
        "eval_rows": eval_rows(
            (version.figures or {}).get("eval") or {}, (theirs or {}).get("eval") if theirs else None
        ),
        "is_active": version.number == active_number,
        "theirs_eval": bool(theirs and (theirs.get("eval") or {})),
        "run": run,
        "summary": summary,
        "gained_groups": _group(summary.get("items", []), "gained") if summary else [],
        "lost_groups": _group(summary.get("items", []), "lost") if summary else [],
        "refusal": activation_refusal(actor=request.user, version=version),
        "can_activate": request.user.has_perm(ACTIVATE_PERM),
        "is_rollback": bool(active_number) and version.number < active_number,
        "dry_run_limit": dry_run_limit(),
        "per_category": ((version.sizes or {}).get("per_category") or {}),
    }
    return render(request, "moderation/text_model.html", context)


@require_POST
@permission_any(ACTIVATE_PERM)
def text_model_dry_run_view(request, number: int):
    version = get_object_or_404(TextModelVersion.objects.defer("data"), number=number)
    try:
        limit = int(request.POST.get("limit") or dry_run_limit())
    except ValueError:
        limit = dry_run_limit()
    limit = max(1, min(limit, DRY_RUN_LIMIT_MAX))
    try:
        run = text_model_dry_run(actor=request.user, version=version, limit=limit)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        summary = run.summary
        messages.success(
            request,
            _(
                "试运行完成：扫描了 %(n)d 条最近公开的内容，v%(v)s 会新增标记 %(gained)d 条、不再标记 %(lost)d 条。"
                "核对下面的结果后，可以决定是否启用。"
            )
            % {
                "n": summary["scanned"],
                "v": version.number,
                "gained": summary["newly_flagged"],
                "lost": summary["stop_flagging"],
            },
        )
    return redirect(reverse("moderation:text-model", args=[version.number]) + "#dry-run")


@require_POST
@permission_any(ACTIVATE_PERM)
def text_model_activate_view(request, number: int):
    version = get_object_or_404(TextModelVersion.objects.defer("data"), number=number)
    url = reverse("moderation:text-model", args=[version.number])
    if request.POST.get("confirm") != "yes":
        messages.warning(request, _("请先勾选“我已核对试运行结果”，再确认启用。"))
        return redirect(url + "#activate")
    previous = _active_number()
    try:
        text_model_activate(actor=request.user, version=version, reason=request.POST.get("reason", ""))
    except (StateConflict, PermissionDenied) as exc:
        messages.error(request, str(exc))
        return redirect(url + "#activate")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(url + "#activate")
    if previous and version.number < previous:
        text = _(
            "已回滚到 v%(n)s（替换 v%(old)s）。工作进程会在下一次扫描时使用它，试运行中受影响的内容已重新排队扫描。"
        )
    else:
        text = _("已启用 v%(n)s。工作进程会在下一次扫描时使用它，试运行中受影响的内容已重新排队扫描。")
    messages.success(request, text % {"n": version.number, "old": previous})
    return redirect(url)
