"""Reports (举报): a signed-in person reports an article, a comment or a user under one
rule of the convention in force; the report joins the target's open case."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from accounts.ratelimit import RateLimited, rate_limit_retry_after, rate_limit_take
from moderation.models import Report, ReportStatus, Rule
from moderation.policies import reporter_accuracy
from moderation.registry import NotRegistered, registry
from moderation.selectors import convention_current
from moderation.services.audit import audit_record
from moderation.services.cases import case_open_for, case_refresh

REPORT_NOTE_MAX = 500
REPORT_WINDOW_SECONDS = 60 * 60
# What a person may report, by the name the API and the forms use (PRODUCT §12), and the
# registered model each names. Model labels, not imports: moderation never imports articles.
REPORT_TARGET_MODELS = {"article": "articles.article", "comment": "articles.comment", "user": "accounts.user"}


def report_target_type(obj_or_model: models.Model | type[models.Model]) -> str:
    """The public name of a target's kind ("article", "comment", "user"), or its model name."""
    label = obj_or_model._meta.label_lower
    return next((name for name, model in REPORT_TARGET_MODELS.items() if model == label), obj_or_model._meta.model_name)


def report_target_get(*, target_type: str, target_id: int) -> models.Model | None:
    """The object a report names, loaded through its moderation adapter; None if it does not exist."""
    from django.apps import apps

    label = REPORT_TARGET_MODELS.get(target_type)
    if label is None:
        raise ValidationError({"target_type": _("只能举报文章、评论或用户。")})
    model = apps.get_model(label)
    return registry.adapter_for(model).get_queryset().filter(pk=target_id).first()


def reporter_weight(*, reporter: AbstractBaseUser) -> float:
    """The reporter's past accuracy (share of their decided reports upheld, smoothed)."""
    counts = dict(
        Report.objects.filter(reporter=reporter, status__in=[ReportStatus.UPHELD, ReportStatus.REJECTED])
        .values_list("status")
        .annotate(n=models.Count("id"))
        .values_list("status", "n")
    )
    return reporter_accuracy(upheld=counts.get(ReportStatus.UPHELD, 0), rejected=counts.get(ReportStatus.REJECTED, 0))


def report_clean_rule(*, rule_code: str) -> Rule:
    convention = convention_current()
    if convention is None:
        raise ValidationError({"rule": _("社区公约尚未载入，暂时不能举报。")})
    rule = convention.rules.select_related("category", "convention").filter(code=(rule_code or "").strip()).first()
    if rule is None:
        raise ValidationError(
            {"rule": _("请从现行社区公约（%(version)s）中选择一条举报理由。") % {"version": convention.version}}
        )
    return rule


@transaction.atomic
def report_create(*, reporter: AbstractBaseUser, target: models.Model, rule_code: str, note: str = "") -> Report:
    """``reporter`` reports ``target`` (any registered model) under ``rule_code``.

    One open report per reporter and target (a database constraint); reports are
    rate-limited per person; a muted user may still report (a mute limits speaking, not
    telling moderators). The report joins the target's open case, or opens one.
    """
    if reporter is None or not reporter.is_authenticated:
        raise PermissionDenied(_("登录后才能举报。"))
    if not reporter.has_perm("moderation.add_report"):
        raise PermissionDenied(_("你的账号暂时不能举报。"))
    try:
        adapter = registry.adapter_for(target)
    except NotRegistered:
        raise ValidationError({"target": _("这类内容不能举报。")}) from None
    rule = report_clean_rule(rule_code=rule_code)
    note = (note or "").strip()
    if len(note) > REPORT_NOTE_MAX:
        raise ValidationError({"note": _("补充说明最多 %(max)s 字。") % {"max": REPORT_NOTE_MAX}})
    owner = adapter.get_owner(target)
    if owner is not None and owner.pk == reporter.pk:
        raise ValidationError({"target": _("不能举报自己发布的内容或自己的账号。")})
    if not adapter.reportable_by(target, reporter):
        raise ValidationError({"target": _("这条内容已经不公开了，无法举报。")})
    content_type = ContentType.objects.get_for_model(adapter.model)
    already = Report.objects.filter(
        reporter=reporter, content_type=content_type, object_id=target.pk, status=ReportStatus.OPEN
    )
    if already.exists():
        raise ValidationError({"target": _("你已经举报过这条内容，审核员处理后会通知你结果。")})
    limit = settings.MODERATION_REPORTS_PER_HOUR
    rate_key = f"report:{reporter.pk}"
    if not rate_limit_take(key=rate_key, limit=limit, window_seconds=REPORT_WINDOW_SECONDS):
        raise RateLimited(
            _("举报太频繁了：每小时最多 %(n)s 次，请稍后再试。你写的说明还在。") % {"n": limit},
            retry_after=rate_limit_retry_after(key=rate_key),
        )
    case = case_open_for(obj=target)
    try:
        with transaction.atomic():  # a savepoint: a concurrent duplicate leaves the transaction usable
            report = Report.objects.create(
                reporter=reporter,
                case=case,
                content_type=content_type,
                object_id=target.pk,
                rule_code=rule.code,
                category=rule.category.number,
                convention_version=rule.convention.version,
                note=note,
                weight=reporter_weight(reporter=reporter),
            )
    except IntegrityError:
        raise ValidationError({"target": _("你已经举报过这条内容，审核员处理后会通知你结果。")}) from None
    case_refresh(case=case, obj=target)
    audit_record(
        actor=reporter,
        action="report.create",
        target=target,
        data={"report": report.pk, "case": case.pk, "rule": rule.code, "version": rule.convention.version},
    )
    return report
