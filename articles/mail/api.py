"""API of the e-mail submissions: /api/v1/submissions/ (PRODUCT §12), editors only.

- GET list/retrieve: the decoded `title`, `text`, `sender_email`, `sender_name`,
  `attachments` (file names) and `status`, new submissions first; `?status=` filters.
- POST submissions/<id>/accept/ (`message`, optional `contact_editor` user name),
  reject/ (optional `message`), spam/ — each calls one service of articles.mail.services.

Errors (cms.api): 400 bad input, 401 not signed in, 403 not an editor, 404 no such
submission, 409 the submission was already decided, is held by the scanner, or its
sender's account is muted.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from articles.mail import selectors, services
from articles.mail.models import Submission, SubmissionStatus


class IsEditor(permissions.BasePermission):
    message = gettext_lazy("只有编辑可以查看和处理邮件投稿。")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(services.PERM_REVIEW))


class SubmissionSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True, help_text="投稿编号，例如 TG000042（回执里告诉投稿人的编号）。")
    attachments = serializers.SerializerMethodField(help_text="附件的文件名，按邮件里的顺序。")
    thread_of = serializers.IntegerField(
        source="thread_parent_id", read_only=True, allow_null=True, help_text="这封邮件是哪份投稿的后续；首封为 null。"
    )
    contact_editor = serializers.CharField(
        source="contact_editor.username", read_only=True, allow_null=True, default=None, help_text="联系编辑的用户名。"
    )
    article = serializers.IntegerField(
        source="article_id", read_only=True, allow_null=True, help_text="采用后创建的草稿文章的 id。"
    )

    class Meta:
        model = Submission
        fields = [
            "id",
            "reference",
            "title",
            "text",
            "sender_email",
            "sender_name",
            "attachments",
            "status",
            "held",
            "hold_reason",
            "thread_of",
            "contact_editor",
            "contact_due_at",
            "contacted_at",
            "article",
            "decision_message",
            "created_at",
            "decided_at",
        ]
        read_only_fields = fields

    def get_attachments(self, submission: Submission) -> list[str]:
        return [attachment.filename for attachment in submission.attachments.all()]


class AcceptInputSerializer(serializers.Serializer):
    message = serializers.CharField(
        max_length=services.MAX_MESSAGE_CHARS, help_text="给投稿人的话，以联系编辑的名义发给投稿人。"
    )
    contact_editor = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="联系编辑的用户名；省略时为调用者本人。"
    )

    def validate_contact_editor(self, value: str):
        if not value:
            return None
        editor = get_user_model().objects.filter(username=value).first()
        if editor is None:
            raise ValidationError(_("没有用户名为“%(name)s”的账号。") % {"name": value[:50]})
        return editor


class RejectInputSerializer(serializers.Serializer):
    message = serializers.CharField(
        max_length=services.MAX_MESSAGE_CHARS,
        required=False,
        allow_blank=True,
        default="",
        help_text="附在退稿信里给投稿人的话（选填）。",
    )


@extend_schema_view(
    list=extend_schema(
        summary="邮件投稿列表（编辑）",
        parameters=[OpenApiParameter("status", str, description="按状态筛选", enum=SubmissionStatus.values)],
    ),
    retrieve=extend_schema(summary="邮件投稿详情（编辑）"),
)
class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = SubmissionSerializer
    permission_classes = [IsEditor]

    def get_queryset(self):
        queryset = selectors.submissions_for_api()
        if self.action == "list":
            wanted = self.request.query_params.get("status")
            if wanted in SubmissionStatus.values:
                queryset = queryset.filter(status=wanted)
        return queryset

    def _output(self, submission: Submission) -> Response:
        return Response(self.get_serializer(selectors.submission_for_triage(pk=submission.pk)).data)

    @extend_schema(summary="采用（编辑）：创建草稿、指定联系编辑并通知投稿人", request=AcceptInputSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = AcceptInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = services.submission_accept(
            actor=request.user,
            submission=self.get_object(),
            message=data.validated_data["message"],
            contact_editor=data.validated_data["contact_editor"],
        )
        return self._output(submission)

    @extend_schema(summary="退稿（编辑）：写信告诉投稿人", request=RejectInputSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = RejectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = services.submission_reject(
            actor=request.user, submission=self.get_object(), message=data.validated_data["message"]
        )
        return self._output(submission)

    @extend_schema(summary="标为垃圾邮件（编辑）：不回复发件人", request=None)
    @action(detail=True, methods=["post"])
    def spam(self, request, pk=None):
        return self._output(services.submission_mark_spam(actor=request.user, submission=self.get_object()))
