from django.urls import path

from accounts import api

app_name = "accounts-api"
urlpatterns = [
    path("auth/token/", api.TokenObtainView.as_view(), name="token"),
    path("me/", api.MeView.as_view(), name="me"),
]
