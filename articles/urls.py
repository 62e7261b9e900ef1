from django.urls import path

from articles import views
from articles.workflow_urls import urlpatterns as workflow_urlpatterns

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("a/<slug:slug>/", views.article_detail, name="detail"),
    path("a/<slug:slug>/comments/", views.comment_post, name="comment-post"),
    path("a/<slug:slug>/comments/<int:pk>/moderate/", views.comment_moderate, name="comment-moderate"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("authors/<str:username>/", views.author_detail, name="author"),
    path("search/", views.search, name="search"),
    path("feed/", views.feed, name="feed"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("submit/", views.submit, name="submit"),
]

# The editorial workflow: /submit/… (authors) and /editor/… (editors).
urlpatterns += workflow_urlpatterns
