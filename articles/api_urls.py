from django.urls import path
from rest_framework.routers import SimpleRouter

from articles.api import ArticleViewSet
from articles.api_comments import ArticleCommentsView
from articles.mail.api import SubmissionViewSet

app_name = "articles-api"

router = SimpleRouter()
# articles/, articles/<id>/ and the workflow actions articles/<id>/<action>/ (articles.api).
router.register("articles", ArticleViewSet, basename="article")
# E-mail submissions for the editors: submissions/, submissions/<id>/accept|reject|spam/.
router.register("submissions", SubmissionViewSet, basename="submission")

urlpatterns: list = [
    # Readers' comments on a published article (articles.api_comments).
    path("articles/<int:article_id>/comments/", ArticleCommentsView.as_view(), name="article-comments"),
    *router.urls,
]
