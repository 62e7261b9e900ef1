"""API of the editorial workflow: /api/v1/articles/ (PRODUCT §12).

- GET list/retrieve: what the caller may see — published articles for everyone, plus
  their own articles for an author, plus everything past the draft stage for an editor.
  `?status=` filters, `?mine=1` keeps only the caller's own.
- POST (authors): create a draft. PUT/PATCH: an author saves their own draft (or corrects
  an unclaimed submission); an editor edits any article in review or published.
- DELETE articles/<id>/: move a draft to the trash (articles.trash decides who may).
- POST articles/<id>/<action>/: submit, claim, take-over, request-changes, approve,
  schedule, unschedule, publish, unpublish, archive — each calls one service.

Errors (cms.api): 400 bad input, 401 not signed in, 403 not allowed, 404 not visible,
409 the article's status does not allow the action.
"""

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from articles import services, trash
from articles.models import Article, ArticleStatus, Originality, ReprintPolicy
from articles.services import ArticleContent
from articles.workflow import Transition, can
from cms.pagination import CappedPageNumberPagination


class ArticleSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    # null: a manuscript that came by e-mail has no account; an article nobody claimed has no editor.
    author = serializers.CharField(source="author.username", read_only=True, allow_null=True, default=None)
    claimed_by = serializers.CharField(source="claimed_by.username", read_only=True, allow_null=True, default=None)
    # Declared as text, not `uri`: it is "" for every article that is not a reprint.
    reprint_source_url = serializers.CharField(read_only=True, help_text="转载原文链接；不是转载时为空字符串。")
    # Any script (汉字 included): plain text in the schema, where a \w pattern reads as ASCII only.
    slug = serializers.CharField(read_only=True, help_text="网址标识：汉字、字母、数字、连字符和下划线。")

    class Meta:
        model = Article
        fields = [
            "id",
            "slug",
            "url",
            "title",
            "summary",
            "body",
            "source",
            "source_handle",
            "byline",
            "tags",
            "status",
            "originality",
            "reprint_source_url",
            "reprint_permission",
            "reprint_policy",
            "author",
            "claimed_by",
            "held",
            "submitted_at",
            "scheduled_at",
            "published_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_url(self, article: Article) -> str | None:
        """The public address, once readers can see the article."""
        if not article.is_public:
            return None
        request = self.context.get("request")
        path = article.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    def get_tags(self, article: Article) -> list[str]:
        return [tag.name for tag in article.tags.all()]


class ArticleInputSerializer(serializers.Serializer):
    """What a client may write. Sizes and completeness are checked by the services, which
    answer with a readable message per field."""

    title = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    source = serializers.CharField(required=False, allow_blank=True)
    source_handle = serializers.CharField(required=False, allow_blank=True)
    byline = serializers.CharField(required=False, allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    originality = serializers.ChoiceField(choices=Originality.choices, required=False)
    reprint_source_url = serializers.CharField(required=False, allow_blank=True)
    reprint_permission = serializers.CharField(required=False, allow_blank=True)
    reprint_policy = serializers.ChoiceField(choices=ReprintPolicy.choices, required=False)

    def to_content(self) -> ArticleContent:
        return ArticleContent.from_dict(self.validated_data)


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ScheduleInputSerializer(serializers.Serializer):
    publish_at = serializers.DateTimeField(
        help_text="ISO 8601；不带时区时按北京时间（Asia/Shanghai）理解，例如 2026-12-01T09:30:00+08:00。"
    )


@extend_schema_view(
    list=extend_schema(
        summary="文章列表",
        parameters=[
            OpenApiParameter("status", str, description="按状态筛选", enum=ArticleStatus.values),
            OpenApiParameter("mine", bool, description="只看自己投稿的文章"),
        ],
    ),
    retrieve=extend_schema(summary="文章详情"),
    create=extend_schema(
        summary="新建草稿（作者）", request=ArticleInputSerializer, responses={201: ArticleSerializer}
    ),
    update=extend_schema(summary="修改文章", request=ArticleInputSerializer, responses={200: ArticleSerializer}),
    partial_update=extend_schema(
        summary="修改文章（部分字段）", request=ArticleInputSerializer, responses={200: ArticleSerializer}
    ),
    destroy=extend_schema(
        summary="删除草稿（移到回收站，30 天内可恢复）",
        description="作者删除自己的草稿；编辑删除邮件投稿的草稿或已下线、已归档的文章。已发布的文章要先下线（409）。",
        responses={204: None},
    ),
)
class ArticleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ArticleSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    # The count stops at 1,000 (count_capped): counting every article grew with the site.
    pagination_class = CappedPageNumberPagination

    def get_queryset(self):
        user = self.request.user
        visible = Q(status=ArticleStatus.PUBLISHED, held=False)
        if user.is_authenticated:
            visible |= Q(author=user)
            if user.has_perm(services.PERM_UNPUBLISH):
                visible |= Q(status=ArticleStatus.PUBLISHED)
            if user.has_perm(services.PERM_REVIEW):
                visible |= ~Q(status=ArticleStatus.DRAFT) | Q(author__isnull=True)
        # What is in the trash is out of the API (restored on the 回收站 page, /submit/trash/).
        queryset = (
            Article.objects.filter(visible, trashed_at__isnull=True)
            .select_related("author", "claimed_by")
            .prefetch_related("tags")
        )
        if self.action == "list":
            wanted = self.request.query_params.get("status")
            if wanted in ArticleStatus.values:
                queryset = queryset.filter(status=wanted)
            if self.request.query_params.get("mine") in ("1", "true") and user.is_authenticated:
                queryset = queryset.filter(author=user)
        return queryset.order_by("-updated_at", "-id")

    def _output(self, article: Article, code: int = status.HTTP_200_OK) -> Response:
        article = Article.objects.select_related("author", "claimed_by").prefetch_related("tags").get(pk=article.pk)
        return Response(self.get_serializer(article).data, status=code)

    def create(self, request, *args, **kwargs):
        data = ArticleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        article = services.article_create_draft(actor=request.user, content=data.to_content())
        return self._output(article, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        article = self.get_object()
        data = ArticleInputSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        content = data.to_content()
        if article.author_id == request.user.pk and can(article.status, Transition.SAVE_DRAFT):
            services.article_save_draft(actor=request.user, article=article, content=content)
        else:
            services.article_edit(actor=request.user, article=article, content=content)
        return self._output(article)

    def perform_destroy(self, instance: Article) -> None:
        trash.article_trash(actor=self.request.user, article=instance)

    # Transitions ----------------------------------------------------------------

    @extend_schema(
        summary="投稿（作者；回应修改意见时提交修改稿）", request=NoteInputSerializer, responses=ArticleSerializer
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def submit(self, request, pk=None):
        data = NoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        article = services.article_submit(
            actor=request.user, article=self.get_object(), note=data.validated_data["note"]
        )
        return self._output(article)

    @extend_schema(summary="认领审稿（编辑）", request=None, responses=ArticleSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def claim(self, request, pk=None):
        return self._output(services.article_claim(actor=request.user, article=self.get_object()))

    @extend_schema(
        summary="接手审稿（编辑，会记录原审稿编辑）", request=ReasonInputSerializer, responses=ArticleSerializer
    )
    @action(detail=True, methods=["post"], url_path="take-over", permission_classes=[IsAuthenticated])
    def take_over(self, request, pk=None):
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        article = services.article_take_over(
            actor=request.user, article=self.get_object(), reason=data.validated_data["reason"]
        )
        return self._output(article)

    @extend_schema(summary="要求作者修改（编辑）", request=NoteInputSerializer, responses=ArticleSerializer)
    @action(detail=True, methods=["post"], url_path="request-changes", permission_classes=[IsAuthenticated])
    def request_changes(self, request, pk=None):
        data = NoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        article = self.get_object()
        services.article_request_changes(actor=request.user, article=article, note=data.validated_data["note"])
        return self._output(article)

    @extend_schema(summary="审核通过（编辑）", request=None, responses=ArticleSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def approve(self, request, pk=None):
        return self._output(services.article_approve(actor=request.user, article=self.get_object()))

    @extend_schema(summary="定时发布（编辑）", request=ScheduleInputSerializer, responses=ArticleSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def schedule(self, request, pk=None):
        data = ScheduleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        article = services.article_schedule(
            actor=request.user, article=self.get_object(), publish_at=data.validated_data["publish_at"]
        )
        return self._output(article)

    @extend_schema(summary="取消定时发布（编辑）", request=None, responses=ArticleSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def unschedule(self, request, pk=None):
        return self._output(services.article_unschedule(actor=request.user, article=self.get_object()))

    @extend_schema(summary="立即发布（编辑）", request=None, responses=ArticleSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def publish(self, request, pk=None):
        return self._output(services.article_publish(actor=request.user, article=self.get_object()))

    @extend_schema(
        summary="下线文章（编辑或审核员，须写明原因）", request=ReasonInputSerializer, responses=ArticleSerializer
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def unpublish(self, request, pk=None):
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        article = services.article_unpublish(
            actor=request.user, article=self.get_object(), reason=data.validated_data["reason"]
        )
        return self._output(article)

    @extend_schema(
        summary="归档或退稿（编辑；退稿须写明原因）", request=ReasonInputSerializer, responses=ArticleSerializer
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def archive(self, request, pk=None):
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        article = services.article_archive(
            actor=request.user, article=self.get_object(), reason=data.validated_data["reason"]
        )
        return self._output(article)
