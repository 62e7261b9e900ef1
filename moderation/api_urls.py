from django.urls import path

from moderation import api

app_name = "moderation-api"
urlpatterns = [
    path("moderation/scan/", api.ScanView.as_view(), name="scan"),
]
