"""API of the convention and of reports (PRODUCT §12), mounted by moderation.api_urls.

- ``GET convention/``: the version in force, its categories and rules (open to everyone:
  the convention is public, and the report form needs its rule codes).
- ``GET reports/``: the caller's own reports with their status; ``POST reports/``
  (``target_type`` article|comment|user, ``target_id``, ``rule`` like "3.4", ``note``)
  calls moderation.services.report_create, which checks everything (signed in, allowed,
  not one's own content, visible, one open report per target, rate limit).

Errors (cms.api): 400 bad input, 401 not signed in, 403 not allowed, 404 no such target,
429 reporting too often.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from moderation.models import Report, ReportStatus, Severity
from moderation.selectors import convention_current
from moderation.services import REPORT_TARGET_MODELS, report_create, report_target_get, report_target_type
from moderation.services.reports import REPORT_NOTE_MAX


class ErrorSerializer(serializers.Serializer):
    """What every error answer carries (cms.api.exception_handler)."""

    detail = serializers.CharField(help_text="给人看的错误说明（简体中文）")
    errors = serializers.JSONField(required=False, help_text="按字段列出的全部错误（仅输入错误时）")


def error_responses(*codes: int) -> dict:
    descriptions = {
        400: "输入有误",
        401: "未登录",
        403: "没有权限",
        404: "不存在或无权查看",
        409: "当前状态不允许这个操作",
        429: "操作太频繁",
    }
    return {code: OpenApiResponse(ErrorSerializer, description=descriptions[code]) for code in codes}


# --- convention --------------------------------------------------------------------------


class RuleSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="条款编号，如 3.4")
    title = serializers.CharField()
    text = serializers.CharField()
    severity = serializers.ChoiceField(choices=Severity.choices)


class RuleCategorySerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="类别编号 1–9")
    name = serializers.CharField()
    rules = RuleSerializer(many=True)


class ConventionSerializer(serializers.Serializer):
    version = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    categories = RuleCategorySerializer(many=True)


class ConventionView(APIView):
    """The community convention in force."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="现行社区公约",
        responses={200: ConventionSerializer, **error_responses(404)},
        tags=["moderation"],
    )
    def get(self, request):
        convention = convention_current()
        if convention is None:
            raise NotFound(_("社区公约尚未载入。"))
        rules_by_category: dict[int, list] = {}
        for rule in convention.rules.order_by("position", "id"):
            rules_by_category.setdefault(rule.category_id, []).append(rule)
        categories = [
            {"number": category.number, "name": category.name, "rules": rules_by_category.get(category.pk, [])}
            for category in convention.categories.order_by("number")
        ]
        data = {
            "version": convention.version,
            "title": convention.title,
            "summary": convention.summary,
            "categories": categories,
        }
        return Response(ConventionSerializer(data).data)


# --- reports -----------------------------------------------------------------------------


class ReportInputSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(choices=sorted(REPORT_TARGET_MODELS), help_text="article、comment 或 user")
    target_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    rule = serializers.CharField(max_length=10, help_text="现行公约的条款编号，如 3.4")
    note = serializers.CharField(max_length=REPORT_NOTE_MAX, required=False, allow_blank=True, default="")


class ReportSerializer(serializers.ModelSerializer):
    target_type = serializers.SerializerMethodField()
    target_id = serializers.IntegerField(source="object_id")
    rule = serializers.CharField(source="rule_code")
    status = serializers.ChoiceField(
        choices=ReportStatus.choices, help_text="open 待处理 / upheld 成立 / rejected 不成立"
    )

    class Meta:
        model = Report
        fields = [
            "id",
            "target_type",
            "target_id",
            "rule",
            "category",
            "convention_version",
            "note",
            "status",
            "case",
            "created_at",
            "decided_at",
        ]

    def get_target_type(self, report: Report) -> str:
        return report_target_type(report.content_type.model_class())


class ReportViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """举报: the caller's own reports, and new ones."""

    serializer_class = ReportSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no caller to filter by
            return Report.objects.none()
        return (
            Report.objects.filter(reporter=self.request.user)
            .select_related("content_type")
            .order_by("-created_at", "-id")
        )

    @extend_schema(
        summary="我的举报", tags=["moderation"], responses={200: ReportSerializer(many=True), **error_responses(401)}
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="举报文章、评论或用户",
        request=ReportInputSerializer,
        responses={201: ReportSerializer, **error_responses(400, 401, 403, 404, 429)},
        examples=[
            OpenApiExample(
                "举报一条评论", value={"target_type": "comment", "target_id": 12, "rule": "2.6", "note": "辱骂他人"}
            )
        ],
        tags=["moderation"],
    )
    def create(self, request, *args, **kwargs):
        data = ReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        target = report_target_get(target_type=values["target_type"], target_id=values["target_id"])
        if target is None:
            raise NotFound(_("找不到要举报的内容：它不存在或已被删除。"))
        report = report_create(reporter=request.user, target=target, rule_code=values["rule"], note=values["note"])
        report = Report.objects.select_related("content_type").get(pk=report.pk)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)
