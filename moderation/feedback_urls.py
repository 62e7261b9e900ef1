"""The feedback page and appeals (moderation.feedback_views, moderation.appeal_views)."""

from django.urls import path

from moderation import appeal_views, feedback_views

app_name = "feedback"
urlpatterns = [
    path("feedback/", feedback_views.feedback_page, name="form"),
    path("feedback/thanks/", feedback_views.feedback_thanks, name="thanks"),
    path("feedback/track/", feedback_views.feedback_track, name="track"),
    path("feedback/confirm/<str:token>/", feedback_views.feedback_confirm_view, name="confirm"),
    path("feedback/appeals/new/", feedback_views.appeal_new, name="appeal_new"),
    path("feedback/appeals/request-link/", feedback_views.appeal_request_link, name="appeal_request_link"),
    path("feedback/appeals/link/<str:token>/", feedback_views.appeal_link_page, name="appeal_link"),
    path("feedback/appeals/<str:number>/", feedback_views.appeal_page, name="appeal"),
    path("moderation/appeals/", appeal_views.appeals_queue, name="appeal_queue"),
    path("moderation/appeals/<int:pk>/", appeal_views.appeal_review, name="review"),
    path("moderation/appeals/<int:pk>/ask/", appeal_views.appeal_ask, name="ask"),
    path("moderation/appeals/<int:pk>/decide/", appeal_views.appeal_decide_view, name="decide"),
    path("moderation/feedback/", appeal_views.feedback_queue_view, name="queue"),
    path("moderation/feedback/<int:pk>/", appeal_views.feedback_item, name="item"),
    path("moderation/feedback/attachments/<int:pk>/", appeal_views.feedback_attachment, name="attachment"),
]
