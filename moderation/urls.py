from django.urls import path

from moderation import views

app_name = "moderation"
urlpatterns = [
    path("convention/", views.convention, name="convention"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/scans/<int:pk>/resolve/", views.scan_resolve_view, name="scan-resolve"),
    path("moderation/audit/", views.audit, name="audit"),
    path("moderation/lexicon/", views.lexicon, name="lexicon"),
    path("moderation/lexicon/add/", views.term_add, name="term-add"),
    path("moderation/lexicon/<int:pk>/edit/", views.term_edit, name="term-edit"),
    path("moderation/lexicon/<int:pk>/toggle/", views.term_toggle, name="term-toggle"),
]
