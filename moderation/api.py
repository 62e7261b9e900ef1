"""REST API of the moderation app (mounted under /api/v1/ by moderation.api_urls)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from moderation.lexicon import current_lexicon
from moderation.scanner import scan
from moderation.text_model import model_snapshot

SCAN_TITLE_MAX = 200
SCAN_BODY_MAX = 100_000


class CanModerateContent(permissions.BasePermission):
    message = _("只有社区治理审核员可以使用这个接口。")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm("moderation.moderate_content"))


class ScanInputSerializer(serializers.Serializer):
    # Offsets in the answer index these strings exactly: no whitespace trimming.
    title = serializers.CharField(
        max_length=SCAN_TITLE_MAX, required=False, allow_blank=True, default="", trim_whitespace=False
    )
    body = serializers.CharField(max_length=SCAN_BODY_MAX, allow_blank=True, trim_whitespace=False)


class ScanFindingSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="公约条款编号，例如 3.4")
    category = serializers.IntegerField(help_text="公约类别 1–9")
    detector = serializers.CharField()
    field = serializers.ChoiceField(choices=["title", "body"])
    start = serializers.IntegerField(help_text="在原始（未规范化）文本中的起始位置")
    end = serializers.IntegerField()
    match = serializers.CharField(help_text="原文中命中的文字")
    score = serializers.FloatField()
    action = serializers.ChoiceField(choices=["block", "review", "flag"])


class ScanResultSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=["allow", "review", "block"])
    findings = ScanFindingSerializer(many=True)


class ScanView(APIView):
    """Scan a title and a body with the live lexicon and the active model; nothing is stored."""

    permission_classes = [permissions.IsAuthenticated, CanModerateContent]

    @extend_schema(
        summary="扫描一段文字",
        description="用当前词库、检测器和使用中的模型扫描标题与正文，返回结论和命中（位置是原文中的下标）。仅限审核员。",
        request=ScanInputSerializer,
        responses={200: ScanResultSerializer},
        examples=[OpenApiExample("请求", value={"title": "", "body": "加我薇信 abc123 领资料"}, request_only=True)],
        tags=["moderation"],
    )
    def post(self, request):
        data = ScanInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = scan(
            data.validated_data["title"],
            data.validated_data["body"],
            lexicon=current_lexicon(),
            **model_snapshot().scan_options(),
        )
        return Response(result.to_dict())
