from django.urls import path
from rest_framework.routers import SimpleRouter

from articles.api import ArticleViewSet
from articles.api_comments import ArticleCommentsView

app_name = "articles-api"

router = SimpleRouter()
# articles/, articles/<id>/ and the workflow actions articles/<id>/<action>/ (articles.api).
router.register("articles", ArticleViewSet, basename="article")

urlpatterns: list = [
    # Readers' comments on a published article (articles.api_comments).
    path("articles/<int:article_id>/comments/", ArticleCommentsView.as_view(), name="article-comments"),
    *router.urls,
]
