from django.urls import path

from articles import views
from articles.workflow_urls import urlpatterns as workflow_urlpatterns

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("a/<slug:slug>/", views.article_detail, name="detail"),
    path("submit/", views.submit, name="submit"),
]

# The editorial workflow: /submit/… (authors) and /editor/… (editors).
urlpatterns += workflow_urlpatterns
