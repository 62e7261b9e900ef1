"""API: readers' comments on a published article — `articles/<id>/comments/` (PRODUCT §12).

GET lists the visible comments, oldest first, paginated (plus the caller's own hidden ones,
marked as such; `under_review` says moderation is still deciding), each with `parent` (the
top-level comment a reply hangs under, or null) and `reply_to` (whom it answers); POST
`{"body": "…", "parent": <id>}` comments, or replies, as the signed-in user (a reply to a
reply hangs under the same top-level comment; 400 when `parent` is not a visible comment of
this article). Errors are the
project's readable JSON: 400 bad body, 401/403, 404 unknown or unpublished article, 429
too many comments (cms.api turns the service's RateLimited into it, with Retry-After set to
the seconds left in the window).
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from articles.models import Article, Comment, CommentStatus
from articles.services_comments import COMMENT_MAX_LENGTH, comment_create, comment_reply_target


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.display_name", read_only=True)
    article = serializers.IntegerField(source="article_id", read_only=True)
    parent = serializers.IntegerField(
        source="parent_id", read_only=True, allow_null=True, help_text="回复所在的顶层评论；顶层评论为 null。"
    )
    reply_to = serializers.CharField(
        source="reply_to.display_name", read_only=True, allow_null=True, default=None, help_text="回复的对象。"
    )

    class Meta:
        model = Comment
        fields = ["id", "article", "author", "body", "status", "under_review", "parent", "reply_to", "created_at"]
        read_only_fields = fields


class CommentInputSerializer(serializers.Serializer):
    # The length rules live in the service, which gives the reader a precise message.
    body = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=COMMENT_MAX_LENGTH * 4)
    parent = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="要回复的评论（可以是回复），不填则发表顶层评论。"
    )


class ArticleCommentsView(GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = CommentSerializer

    def get_article(self) -> Article:
        return get_object_or_404(Article.objects.public(), pk=self.kwargs["article_id"])

    def get_queryset(self):
        shown = Q(status=CommentStatus.VISIBLE)
        if self.request.user.is_authenticated:
            shown |= Q(status=CommentStatus.HIDDEN, author=self.request.user)
        return (
            Comment.objects.filter(shown, article=self.get_article())
            .select_related("author", "reply_to")
            .order_by("created_at", "id")
        )

    @extend_schema(summary="文章的评论", responses=CommentSerializer(many=True))
    def get(self, request, article_id: int):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(CommentSerializer(page, many=True).data)

    @extend_schema(summary="发表评论", request=CommentInputSerializer, responses={201: CommentSerializer})
    def post(self, request, article_id: int):
        article = self.get_article()
        data = CommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parent = comment_reply_target(article=article, parent_id=data.validated_data.get("parent"))
        comment = comment_create(article=article, author=request.user, body=data.validated_data["body"], parent=parent)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
