"""/submit/images/…: the author's image library."""

from django.urls import path

from articles.images import views

app_name = "images"

urlpatterns = [
    path("submit/images/", views.library, name="library"),
    path("submit/images/upload/", views.upload, name="upload"),
    path("submit/images/picker/", views.picker, name="picker"),
    path("submit/images/<str:key>/delete/", views.delete, name="delete"),
]
