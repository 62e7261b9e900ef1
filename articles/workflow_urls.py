"""URLs of the editorial workflow (author side under /submit/, editors under /editor/).
Added to articles.urls, so they share the "articles" namespace."""

from django.urls import path

from articles import editor_views, submit_views

urlpatterns = [
    path("submit/mine/", submit_views.submit_mine, name="submit_mine"),
    path("submit/preview/", submit_views.submit_preview, name="submit_preview"),
    path("submit/autosave/", submit_views.submit_autosave, name="submit_autosave"),
    path("submit/<int:pk>/", submit_views.submit_detail, name="submit_detail"),
    path("submit/<int:pk>/edit/", submit_views.submit_edit, name="submit_edit"),
    path("submit/<int:pk>/notes/", submit_views.editorial_comment_post, name="editorial_comment_post"),
    path("submit/notes/<int:pk>/resolve/", submit_views.editorial_comment_resolve, name="editorial_comment_resolve"),
    path("editor/", editor_views.dashboard, name="editor_dashboard"),
    path("editor/articles/<int:pk>/", editor_views.review, name="editor_review"),
    path("editor/articles/<int:pk>/edit/", editor_views.edit, name="editor_edit"),
    path("editor/articles/<int:pk>/scan/", editor_views.scan_resolve, name="editor_scan_resolve"),
    path("editor/articles/<int:pk>/<slug:name>/", editor_views.action, name="editor_action"),
]
