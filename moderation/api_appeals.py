"""API of appeals and the feedback page (PRODUCT §12), mounted by moderation.api_urls.

- ``appeals/``: a user sees their own, moderators all (``?status=open|waiting|decided``);
  ``POST appeals/`` (``penalty``, ``text``) files one (moderation.services.appeal_create:
  409 for a second appeal of the same penalty or a late one); ``POST
  appeals/<id>/decide/`` (``outcome`` uphold|reduce|overturn, ``reason``, optional
  ``step``) — 403 for the moderator who decided the case; ``GET|POST
  appeals/<id>/messages/`` is the conversation.
- ``feedback/``: ``POST`` (open to visitors) with ``kind`` suggestion|bug|copyright|report|
  appeal, ``text`` and the kind's own fields; the answer carries the ``tracking_number``.
  A visitor's item waits for the e-mailed confirmation (``status`` unconfirmed).
  Attachments are accepted on the page only (/feedback/), where they are checked with the
  person looking at the form. ``GET feedback/`` lists the caller's own items.
Errors (cms.api): 400 bad input, 401 not signed in, 403 not allowed, 404 missing, 409
state, 429 too often.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.client import client_ip
from moderation.api import CanModerateContent
from moderation.api_reports import error_responses
from moderation.models import (
    Appeal,
    AppealMessage,
    AppealMessageRole,
    AppealOutcome,
    AppealStatus,
    Feedback,
    FeedbackKind,
    FeedbackStatus,
    Infringement,
    Penalty,
)
from moderation.registry import registry
from moderation.services import (
    FeedbackData,
    appeal_create,
    appeal_decide,
    appeal_message_add,
    feedback_submit,
    report_target_get,
)
from moderation.services.appeals import APPEAL_TEXT_MAX, MESSAGE_TEXT_MAX, REASON_MAX
from moderation.services.feedback import CONTACT_MAX, FEEDBACK_TEXT_MAX, STATEMENT_MAX


def _is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("moderation.moderate_content"))


class AppealSerializer(serializers.ModelSerializer):
    penalty = serializers.IntegerField(source="penalty_id")
    status = serializers.ChoiceField(choices=AppealStatus.choices)
    outcome = serializers.ChoiceField(choices=[("", "—"), *AppealOutcome.choices])
    new_step = serializers.IntegerField(allow_null=True, help_text="减轻后的处罚等级（仅 reduce）")

    class Meta:
        model = Appeal
        fields = [
            "id",
            "tracking_number",
            "penalty",
            "text",
            "status",
            "outcome",
            "decision_reason",
            "new_step",
            "content_restored",
            "via_link",
            "created_at",
            "decided_at",
        ]


class AppealDetailSerializer(AppealSerializer):
    evidence = serializers.JSONField(help_text="申诉时冻结的证据：条款原文（当时的公约版本）、内容快照、处罚与决定")

    class Meta(AppealSerializer.Meta):
        fields = [*AppealSerializer.Meta.fields, "evidence"]


class AppealCreateSerializer(serializers.Serializer):
    penalty = serializers.IntegerField(min_value=1, max_value=2**62)
    text = serializers.CharField(max_length=APPEAL_TEXT_MAX)


class AppealDecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=AppealOutcome.values, help_text="uphold、reduce 或 overturn")
    reason = serializers.CharField(max_length=REASON_MAX)
    step = serializers.IntegerField(min_value=0, max_value=4, required=False, allow_null=True, default=None)


class AppealMessageSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=AppealMessageRole.choices)

    class Meta:
        model = AppealMessage
        fields = ["id", "role", "text", "created_at"]


class AppealMessageInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=MESSAGE_TEXT_MAX)


@extend_schema_view(
    list=extend_schema(
        summary="申诉（自己的；审核员可看全部）",
        parameters=[OpenApiParameter("status", str, enum=AppealStatus.values, description="按状态筛选")],
        responses={200: AppealSerializer(many=True), **error_responses(401)},
        tags=["moderation"],
    ),
    retrieve=extend_schema(
        summary="申诉详情", responses={200: AppealDetailSerializer, **error_responses(401, 404)}, tags=["moderation"]
    ),
    create=extend_schema(
        summary="申诉自己的一项处罚",
        request=AppealCreateSerializer,
        responses={201: AppealDetailSerializer, **error_responses(400, 401, 403, 404, 409)},
        tags=["moderation"],
    ),
)
class AppealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = AppealSerializer

    def get_permissions(self):
        if self.action == "decide":
            return [permissions.IsAuthenticated(), CanModerateContent()]
        return super().get_permissions()

    def get_serializer_class(self):
        return AppealSerializer if self.action == "list" else AppealDetailSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to filter by
            return Appeal.objects.none()
        user = self.request.user
        queryset = Appeal.objects.select_related("penalty")
        if not _is_moderator(user):
            queryset = queryset.filter(user=user)
        wanted = self.request.query_params.get("status") if self.action == "list" else None
        if wanted in AppealStatus.values:
            queryset = queryset.filter(status=wanted)
        return queryset.order_by("created_at", "id")

    def create(self, request, *args, **kwargs):
        data = AppealCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        penalty = Penalty.objects.filter(pk=data.validated_data["penalty"], user=request.user).first()
        if penalty is None:
            raise exceptions.NotFound()
        appeal = appeal_create(user=request.user, penalty=penalty, text=data.validated_data["text"])
        return Response(AppealDetailSerializer(appeal).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="审核申诉（未参与原处理的审核员）",
        request=AppealDecideSerializer,
        responses={200: AppealDetailSerializer, **error_responses(400, 401, 403, 404, 409)},
        tags=["moderation"],
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        appeal = self.get_object()
        data = AppealDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        result = appeal_decide(
            actor=request.user, appeal=appeal, outcome=values["outcome"], reason=values["reason"], step=values["step"]
        )
        return Response(AppealDetailSerializer(Appeal.objects.select_related("penalty").get(pk=result.appeal.pk)).data)

    @extend_schema(
        methods=["get"],
        summary="申诉的沟通记录",
        responses={200: AppealMessageSerializer(many=True), **error_responses(401, 404)},
        tags=["moderation"],
    )
    @extend_schema(
        methods=["post"],
        summary="在申诉里留言（审核员提问，申诉人回复）",
        request=AppealMessageInputSerializer,
        responses={201: AppealMessageSerializer, **error_responses(400, 401, 403, 404, 409)},
        tags=["moderation"],
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def messages(self, request, pk=None):
        appeal = self.get_object()
        if request.method == "GET":
            return Response(AppealMessageSerializer(appeal.messages.all(), many=True).data)
        data = AppealMessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = appeal_message_add(actor=request.user, appeal=appeal, text=data.validated_data["text"])
        return Response(AppealMessageSerializer(message).data, status=status.HTTP_201_CREATED)


# --- feedback ----------------------------------------------------------------------------


class FeedbackSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=FeedbackKind.choices)
    status = serializers.ChoiceField(choices=FeedbackStatus.choices)
    tracking_number = serializers.CharField(help_text="受理编号，凭它和邮箱可以在 /feedback/track/ 查询进度")
    case = serializers.IntegerField(source="case_id", allow_null=True, help_text="版权投诉转成的案件")
    appeal = serializers.IntegerField(source="appeal_id", allow_null=True)
    report = serializers.IntegerField(source="report_id", allow_null=True)
    infringed = serializers.ListField(child=serializers.ChoiceField(choices=Infringement.choices))

    class Meta:
        model = Feedback
        fields = [
            "id",
            "tracking_number",
            "kind",
            "status",
            "text",
            "email",
            "target_label",
            "infringed",
            "rights_statement",
            "rights_contact",
            "case",
            "report",
            "appeal",
            "reply",
            "created_at",
        ]


class FeedbackInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=FeedbackKind.values, help_text="suggestion、bug、copyright、report 或 appeal"
    )
    text = serializers.CharField(max_length=FEEDBACK_TEXT_MAX, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="", help_text="访客必填")
    article = serializers.IntegerField(min_value=1, max_value=2**62, required=False, help_text="copyright：文章 id")
    infringed = serializers.ListField(
        child=serializers.ChoiceField(choices=Infringement.values), required=False, default=list, max_length=3
    )
    rights_statement = serializers.CharField(max_length=STATEMENT_MAX, required=False, allow_blank=True, default="")
    rights_contact = serializers.CharField(max_length=CONTACT_MAX, required=False, allow_blank=True, default="")
    target_type = serializers.ChoiceField(choices=["article", "comment", "user"], required=False, help_text="report")
    target_id = serializers.IntegerField(min_value=1, max_value=2**62, required=False, help_text="report")
    rule = serializers.CharField(
        max_length=10, required=False, allow_blank=True, default="", help_text="report：如 2.6"
    )
    penalty = serializers.IntegerField(min_value=1, max_value=2**62, required=False, help_text="appeal：处罚 id")


@extend_schema_view(
    list=extend_schema(
        summary="我提交的反馈",
        responses={200: FeedbackSerializer(many=True), **error_responses(401)},
        tags=["feedback"],
    ),
    create=extend_schema(
        summary="提交建议反馈（访客也可以；访客需确认邮件后才受理）",
        request=FeedbackInputSerializer,
        responses={201: FeedbackSerializer, **error_responses(400, 401, 403, 404, 409, 429)},
        tags=["feedback"],
    ),
)
class FeedbackViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = FeedbackSerializer

    def get_permissions(self):
        if self.action == "create":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Feedback.objects.none()
        return Feedback.objects.filter(user=self.request.user).order_by("-created_at", "-id")

    def create(self, request, *args, **kwargs):
        data = FeedbackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request.user if request.user.is_authenticated else None
        kind = values["kind"]
        if kind in (FeedbackKind.APPEAL, FeedbackKind.REPORT) and user is None:
            raise exceptions.NotAuthenticated(
                "登录后才能举报或申诉；账号被封禁时，请在 /feedback/ 用案件编号和账号邮箱申请申诉链接。"
            )
        if kind == FeedbackKind.APPEAL:
            penalty = Penalty.objects.filter(pk=values.get("penalty") or 0, user=user).first()
            if penalty is None:
                raise exceptions.ValidationError({"penalty": ["请给出要申诉的处罚 id（自己的处罚）。"]})
            appeal = appeal_create(user=user, penalty=penalty, text=values["text"])
            feedback = Feedback.objects.get(appeal=appeal)
            return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)
        target = None
        # Named here by the API's own fields (the service calls either one ``target``).
        if kind == FeedbackKind.COPYRIGHT and not values.get("article"):
            raise exceptions.ValidationError({"article": ["版权投诉请给出被投诉文章的 id。"]})
        if kind == FeedbackKind.REPORT and not (values.get("target_type") and values.get("target_id")):
            raise exceptions.ValidationError({"target_id": ["举报请给出 target_type 和 target_id。"]})
        if kind == FeedbackKind.COPYRIGHT:
            target = report_target_get(target_type="article", target_id=values["article"])
            if target is not None and not registry.adapter_for(target).reportable_by(target, user):
                target = None
            if target is None:
                raise exceptions.ValidationError({"article": ["找不到这篇已发布的文章。"]})
        if kind == FeedbackKind.REPORT:
            target = report_target_get(target_type=values["target_type"], target_id=values["target_id"])
            if target is None:
                raise exceptions.ValidationError({"target_id": ["要举报的内容不存在。"]})
        feedback = feedback_submit(
            user=user,
            data=FeedbackData(
                kind=kind,
                text=values["text"],
                email=values["email"],
                target=target,
                infringed=values["infringed"],
                rights_statement=values["rights_statement"],
                rights_contact=values["rights_contact"],
                rule_code=values["rule"],
            ),
            client_key=client_ip(request) or "unknown",
        )
        return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)
