from django.urls import path

from moderation import case_views, model_views, report_views, views

app_name = "moderation"
urlpatterns = [
    path("convention/", views.convention, name="convention"),
    path("convention/report/", case_views.transparency_report, name="transparency"),
    path("report/", report_views.report, name="report"),
    path("moderation/", case_views.queue, name="queue"),
    path("moderation/cases/<int:pk>/", case_views.case_page, name="case"),
    path("moderation/stats/", case_views.stats, name="stats"),
    path("moderation/scans/<int:pk>/resolve/", views.scan_resolve_view, name="scan-resolve"),
    path("moderation/audit/", views.audit, name="audit"),
    path("moderation/lexicon/", views.lexicon, name="lexicon"),
    path("moderation/lexicon/add/", views.term_add, name="term-add"),
    path("moderation/lexicon/<int:pk>/edit/", views.term_edit, name="term-edit"),
    path("moderation/lexicon/<int:pk>/toggle/", views.term_toggle, name="term-toggle"),
    path("moderation/models/", model_views.text_models, name="text-models"),
    path("moderation/models/<int:number>/", model_views.text_model, name="text-model"),
    path("moderation/models/<int:number>/dry-run/", model_views.text_model_dry_run_view, name="text-model-dry-run"),
    path("moderation/models/<int:number>/activate/", model_views.text_model_activate_view, name="text-model-activate"),
]
