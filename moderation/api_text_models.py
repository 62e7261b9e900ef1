"""API of the scanner's text model versions (moderators and admins), mounted by
moderation.api_urls under ``/api/v1/moderation/models/``:

- ``GET moderation/models/`` — every version, newest first (``is_active`` marks the one in use);
- ``GET moderation/models/<number>/`` — one version with the requester's latest dry run;
- ``POST moderation/models/<number>/dry-run/`` (``limit``) — scan the newest public items with
  the active model and with this version; the stored result;
- ``POST moderation/models/<number>/activate/`` (``reason``) — activate (or roll back to) this
  version; 409 without a fresh dry run of it by the requester against the active model.

All changes go through moderation.services.text_models (they check the permission again).
"""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from moderation.api_reports import error_responses
from moderation.model_dry_run import dry_run_limit
from moderation.models import TextModelDryRun, TextModelState, TextModelStatus, TextModelVersion
from moderation.services.text_models import (
    ACTIVATE_PERM,
    REASON_MAX,
    VIEW_PERM,
    activation_refusal,
    latest_dry_run,
    text_model_activate,
    text_model_dry_run,
)


class CanSeeTextModels(permissions.BasePermission):
    message = "只有审核员和管理员可以查看和启用扫描模型。"

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and (user.has_perm(VIEW_PERM) or user.has_perm(ACTIVATE_PERM)))


class DryRunSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number")
    baseline = serializers.IntegerField(
        source="baseline.number",
        allow_null=True,
        default=None,
        help_text="对照的使用中版本；null 为随项目发布的默认模型",
    )
    summary = serializers.JSONField(
        help_text="scanned、limit、newly_flagged（新增标记条数）、stop_flagging（不再标记条数）、verdict_changes、"
        "by_category、items（每条：content_type、object_id、label、title、url、verdict_before、verdict_after、"
        "gained/lost 句子及概率）、figures（candidate 与 baseline 的评估结果）"
    )

    class Meta:
        model = TextModelDryRun
        fields = ["id", "version", "baseline", "created_at", "summary"]


class TextModelSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=TextModelStatus.choices)
    is_active = serializers.SerializerMethodField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    activated_by = serializers.CharField(source="activated_by.username", allow_null=True, default=None)
    sources = serializers.JSONField(help_text="训练数据来源，每项含 kind（seeds/file/decisions）、name、items")
    sizes = serializers.JSONField(help_text="items、clean、per_category、bytes 等")
    figures = serializers.JSONField(help_text="cv：交叉验证结果；eval：各评测集上的结果（macro_f1、per_category 等）")

    class Meta:
        model = TextModelVersion
        fields = [
            "number",
            "status",
            "status_reason",
            "is_active",
            "origin",
            "created_at",
            "created_by",
            "activated_at",
            "activated_by",
            "content_hash",
            "size_bytes",
            "sources",
            "sizes",
            "figures",
            "note",
        ]

    def get_is_active(self, obj) -> bool:
        return obj.pk == self.context.get("active_id")


class TextModelDetailSerializer(TextModelSerializer):
    dry_run = serializers.SerializerMethodField(help_text="你最近一次对这个版本的试运行（没有时为 null）")
    activation_refusal = serializers.SerializerMethodField(help_text="现在不能启用的原因；可以启用时为空字符串")

    class Meta(TextModelSerializer.Meta):
        fields = [*TextModelSerializer.Meta.fields, "dry_run", "activation_refusal"]

    def _user(self):
        return self.context["request"].user

    @extend_schema_field(DryRunSerializer(allow_null=True))
    def get_dry_run(self, obj) -> dict | None:
        run = latest_dry_run(actor=self._user(), version=obj)
        return DryRunSerializer(run).data if run is not None else None

    def get_activation_refusal(self, obj) -> str:
        return activation_refusal(actor=self._user(), version=obj)


class DryRunInputSerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=1000, help_text="每类内容最多扫描多少条最近公开的内容"
    )


class ActivateInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=REASON_MAX)


@extend_schema_view(
    list=extend_schema(summary="扫描模型的版本", tags=["moderation"], responses={200: TextModelSerializer(many=True)}),
    retrieve=extend_schema(
        summary="一个模型版本", tags=["moderation"], responses={200: TextModelDetailSerializer, **error_responses(404)}
    ),
)
class TextModelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, CanSeeTextModels]
    lookup_field = "number"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return TextModelVersion.objects.defer("data").select_related("created_by", "activated_by").order_by("-number")

    def get_serializer_class(self):
        return TextModelSerializer if self.action == "list" else TextModelDetailSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["active_id"] = TextModelState.objects.filter(pk=1).values_list("active_id", flat=True).first()
        return context

    @extend_schema(
        summary="试运行一个模型版本",
        description="用同一份词库，分别以使用中的模型和这个版本扫描最近公开的内容，保存并返回会新增标记和不再标记的句子。",
        tags=["moderation"],
        request=DryRunInputSerializer,
        responses={201: DryRunSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="dry-run")
    def dry_run(self, request, number=None):
        version = self.get_object()
        data = DryRunInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = text_model_dry_run(
            actor=request.user, version=version, limit=data.validated_data.get("limit") or dry_run_limit()
        )
        return Response(DryRunSerializer(run).data, status=201)

    @extend_schema(
        summary="启用或回滚到一个模型版本",
        description="需要你在 24 小时内、针对当前使用中的模型试运行过这个版本；否则返回 409。",
        tags=["moderation"],
        request=ActivateInputSerializer,
        responses={200: TextModelDetailSerializer, **error_responses(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def activate(self, request, number=None):
        version = self.get_object()
        data = ActivateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = text_model_activate(actor=request.user, version=version, reason=data.validated_data["reason"])
        context = self.get_serializer_context()
        return Response(TextModelDetailSerializer(version, context=context).data)
