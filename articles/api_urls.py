from rest_framework.routers import SimpleRouter

from articles.api import ArticleViewSet

app_name = "articles-api"

router = SimpleRouter()
# articles/, articles/<id>/ and the workflow actions articles/<id>/<action>/ (articles.api).
router.register("articles", ArticleViewSet, basename="article")

urlpatterns: list = [
    *router.urls,
]
