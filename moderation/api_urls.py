from django.urls import path
from rest_framework.routers import SimpleRouter

from moderation import api, api_appeals, api_cases, api_reports, api_text_models

app_name = "moderation-api"

router = SimpleRouter()
# reports/ (moderation.api_reports); cases/ with decide, penalties/ with lift (moderation.api_cases).
router.register("reports", api_reports.ReportViewSet, basename="report")
router.register("cases", api_cases.CaseViewSet, basename="case")
router.register("penalties", api_cases.PenaltyViewSet, basename="penalty")
# appeals/ with decide and messages, feedback/ (moderation.api_appeals).
router.register("appeals", api_appeals.AppealViewSet, basename="appeal")
router.register("feedback", api_appeals.FeedbackViewSet, basename="feedback")
# moderation/models/ with dry-run and activate: the scanner's text model versions (moderation.api_text_models).
router.register("moderation/models", api_text_models.TextModelViewSet, basename="text-model")

urlpatterns = [
    path("moderation/scan/", api.ScanView.as_view(), name="scan"),
    path("convention/", api_reports.ConventionView.as_view(), name="convention"),
    *router.urls,
]
