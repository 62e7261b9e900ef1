"""API of cases and penalties (PRODUCT §12), mounted by moderation.api_urls.

- ``cases/`` (moderators only): the queue, open cases by priority (``?status=decided`` or
  ``all`` for the others), each with its reports, the scan's findings and the step the
  policy proposes; ``POST cases/<id>/decide/`` calls moderation.services.case_decide
  (409 when the case was already decided, e.g. by another moderator a moment ago).
- ``penalties/``: a user sees their own, moderators everyone's (``?user=<username>``);
  ``POST penalties/<id>/lift/`` (moderators) calls moderation.services.penalty_lift.

The permission classes answer early; the services check again (they are the rule).
Errors (cms.api): 400 bad input, 401 not signed in, 403 not allowed, 404 missing, 409 state.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from moderation.api import CanModerateContent
from moderation.api_reports import error_responses
from moderation.models import (
    Aggravation,
    Case,
    CaseDecision,
    CaseStatus,
    Finding,
    Penalty,
    PenaltyStatus,
    PenaltyStep,
    Report,
    ReportStatus,
)
from moderation.services import case_decide, penalty_lift, penalty_proposal, report_target_type
from moderation.services.cases import DECISION_REASON_MAX
from moderation.services.penalties import LIFT_REASON_MAX

CASE_STATUS_FILTERS = ["open", "decided", "all"]


def _is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("moderation.moderate_content"))


# --- cases -------------------------------------------------------------------------------


class CaseReportSerializer(serializers.ModelSerializer):
    reporter = serializers.CharField(source="reporter.username")
    rule = serializers.CharField(source="rule_code")
    status = serializers.ChoiceField(choices=ReportStatus.choices)

    class Meta:
        model = Report
        fields = ["id", "reporter", "rule", "category", "note", "weight", "status", "created_at"]


class CaseFindingSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule_code")

    class Meta:
        model = Finding
        fields = ["rule", "category", "detector", "field", "start", "end", "match", "score", "action"]


class CaseSerializer(serializers.ModelSerializer):
    target_type = serializers.SerializerMethodField(help_text="article、comment 或 user")
    target_id = serializers.IntegerField(source="object_id")
    subject = serializers.CharField(source="subject.username", allow_null=True, default=None)
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    rule = serializers.CharField(source="rule_code", help_text="案件的主要条款（举报与扫描中最严重的一条）")
    source = serializers.ChoiceField(choices=["scan", "report", "both"])
    reports = serializers.SerializerMethodField()
    findings = serializers.SerializerMethodField()
    proposed_step = serializers.SerializerMethodField(
        help_text="待处理案件：处罚政策现在建议的等级；已处理案件：处理时的建议。没有当事人时为 null。"
    )
    flags = serializers.SerializerMethodField(help_text="系统提示，例如疑似规避封禁（ban_evasion: 被封禁的账号）")
    decision = serializers.ChoiceField(choices=[("", "—"), *CaseDecision.choices])

    class Meta:
        model = Case
        fields = [
            "id",
            "target_type",
            "target_id",
            "subject",
            "status",
            "priority",
            "rule",
            "category",
            "severity",
            "source",
            "reporter_count",
            "hidden_pending_review",
            "reports",
            "findings",
            "proposed_step",
            "flags",
            "opened_at",
            "decision",
            "decision_rule",
            "decided_at",
            "step",
        ]

    def get_target_type(self, case: Case) -> str:
        return report_target_type(case.content_type.model_class())

    @extend_schema_field(CaseReportSerializer(many=True))
    def get_reports(self, case: Case):
        return CaseReportSerializer(case.reports.all(), many=True).data

    @extend_schema_field(CaseFindingSerializer(many=True))
    def get_findings(self, case: Case):
        record = case.scan_record
        return CaseFindingSerializer(record.findings.all() if record is not None else [], many=True).data

    @extend_schema_field(serializers.IntegerField(allow_null=True, min_value=0, max_value=5))
    def get_proposed_step(self, case: Case) -> int | None:
        # Kept current by case_refresh whenever a report or a scan joins, so a page of cases
        # costs the same queries whatever its length; the detail computes it afresh.
        return case.proposed_step if case.subject_id is not None else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_flags(self, case: Case) -> list[str]:
        return [str(flag) for flag in case.evidence.get("flags", [])]


class CaseDetailSerializer(CaseSerializer):
    evidence = serializers.JSONField(help_text="立案时内容的快照（标题、正文、链接、当事人）")
    proposal_reasons = serializers.SerializerMethodField()
    decision_reason = serializers.CharField()
    aggravations = serializers.ListField(child=serializers.ChoiceField(choices=Aggravation.choices))

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "evidence", "proposal_reasons", "decision_reason", "aggravations"]

    @extend_schema_field(serializers.IntegerField(allow_null=True, min_value=0, max_value=5))
    def get_proposed_step(self, case: Case) -> int | None:
        if case.subject_id is None:
            return None
        if not case.is_open:
            return case.proposed_step
        # The policy reads the subject's history now, so an open case's proposal is never stale.
        return penalty_proposal(case=case).step

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_proposal_reasons(self, case: Case) -> list[str]:
        if case.subject_id is None or not case.is_open:
            return []
        return [str(reason) for reason in penalty_proposal(case=case).reasons]


class CaseDecideInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=CaseDecision.values, help_text="dismiss、remove、warn 或 penalize")
    rule = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=DECISION_REASON_MAX)
    aggravations = serializers.ListField(
        child=serializers.ChoiceField(choices=Aggravation.values), required=False, default=list, max_length=10
    )
    step = serializers.IntegerField(min_value=0, max_value=5, required=False, allow_null=True, default=None)
    step_reason = serializers.CharField(max_length=DECISION_REASON_MAX, required=False, allow_blank=True, default="")
    remove_content = serializers.BooleanField(required=False, allow_null=True, default=None)


@extend_schema_view(
    list=extend_schema(
        summary="治理案件队列（审核员）",
        parameters=[OpenApiParameter("status", str, enum=CASE_STATUS_FILTERS, description="默认 open")],
        responses={200: CaseSerializer(many=True), **error_responses(401, 403)},
        tags=["moderation"],
    ),
    retrieve=extend_schema(
        summary="案件详情（审核员）",
        responses={200: CaseDetailSerializer, **error_responses(401, 403, 404)},
        tags=["moderation"],
    ),
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, CanModerateContent]
    serializer_class = CaseSerializer

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action in ("retrieve", "decide") else CaseSerializer

    def get_queryset(self):
        queryset = Case.objects.select_related("content_type", "subject", "scan_record").prefetch_related(
            "scan_record__findings",
            Prefetch("reports", queryset=Report.objects.select_related("reporter").order_by("created_at", "id")),
            "scan_record__findings",
        )
        if self.action == "list":
            wanted = self.request.query_params.get("status", "open")
            if wanted in (CaseStatus.OPEN, CaseStatus.DECIDED):
                queryset = queryset.filter(status=wanted)
        return queryset.order_by("-priority", "opened_at", "id")

    @extend_schema(
        summary="处理案件（审核员）",
        request=CaseDecideInputSerializer,
        responses={200: CaseDetailSerializer, **error_responses(400, 401, 403, 404, 409)},
        tags=["moderation"],
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        case = self.get_object()
        data = CaseDecideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        case = case_decide(
            actor=request.user,
            case=case,
            action=values["action"],
            rule_code=values["rule"],
            reason=values["reason"],
            aggravations=values["aggravations"],
            step=values["step"],
            step_reason=values["step_reason"],
            remove_content=values["remove_content"],
        )
        return Response(CaseDetailSerializer(self.get_queryset().get(pk=case.pk)).data)


# --- penalties ---------------------------------------------------------------------------


class PenaltySerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username")
    step = serializers.ChoiceField(
        choices=PenaltyStep.choices, help_text="0 警告 · 1–3 禁言 1/7/15 天 · 4 永久禁言 · 5 封禁"
    )
    step_label = serializers.CharField(source="get_step_display")
    rule = serializers.CharField(source="rule_code")
    status = serializers.ChoiceField(choices=PenaltyStatus.choices)
    expires_at = serializers.DateTimeField(allow_null=True, help_text="结束时间；永久禁言和封禁为 null")

    class Meta:
        model = Penalty
        fields = [
            "id",
            "user",
            "step",
            "step_label",
            "rule",
            "convention_version",
            "reason",
            "starts_at",
            "expires_at",
            "status",
            "ended_at",
            "case",
            "lift_reason",
        ]


class PenaltyLiftInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=LIFT_REASON_MAX)


@extend_schema_view(
    list=extend_schema(
        summary="处罚记录（自己的；审核员可看全部）",
        parameters=[OpenApiParameter("user", str, description="仅审核员：按用户名筛选")],
        responses={200: PenaltySerializer(many=True), **error_responses(401)},
        tags=["moderation"],
    ),
    retrieve=extend_schema(
        summary="处罚详情", responses={200: PenaltySerializer, **error_responses(401, 404)}, tags=["moderation"]
    ),
)
class PenaltyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = PenaltySerializer

    def get_permissions(self):
        if self.action == "lift":
            return [permissions.IsAuthenticated(), CanModerateContent()]
        return super().get_permissions()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no caller to filter by
            return Penalty.objects.none()
        user = self.request.user
        queryset = Penalty.objects.select_related("user")
        if _is_moderator(user):
            wanted = self.request.query_params.get("user") if self.action == "list" else None
            if wanted:
                queryset = queryset.filter(user__username=wanted)
        else:
            queryset = queryset.filter(user=user)
        return queryset.order_by("-starts_at", "-id")

    @extend_schema(
        summary="解除处罚（审核员）",
        request=PenaltyLiftInputSerializer,
        responses={200: PenaltySerializer, **error_responses(400, 401, 403, 404, 409)},
        tags=["moderation"],
    )
    @action(detail=True, methods=["post"])
    def lift(self, request, pk=None):
        penalty = self.get_object()
        data = PenaltyLiftInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        penalty = penalty_lift(actor=request.user, penalty=penalty, reason=data.validated_data["reason"])
        return Response(PenaltySerializer(Penalty.objects.select_related("user").get(pk=penalty.pk)).data)
