"""URLs of the editorial workflow (author side under /submit/, editors under /editor/).
Added to articles.urls, so they share the "articles" namespace."""

from django.urls import path

from articles import editor_views, submit_views, trash_views
from articles.mail import views as mail_views

urlpatterns = [
    path("submit/mine/", submit_views.submit_mine, name="submit_mine"),
    path("submit/preview/", submit_views.submit_preview, name="submit_preview"),
    path("submit/autosave/", submit_views.submit_autosave, name="submit_autosave"),
    path("submit/trash/", trash_views.trash_list, name="trash"),
    path("submit/<int:pk>/delete/", trash_views.article_trash_confirm, name="article_trash"),
    path("submit/<int:pk>/restore/", trash_views.article_restore, name="article_restore"),
    path("submit/<int:pk>/", submit_views.submit_detail, name="submit_detail"),
    path("submit/<int:pk>/edit/", submit_views.submit_edit, name="submit_edit"),
    path("submit/<int:pk>/notes/", submit_views.editorial_comment_post, name="editorial_comment_post"),
    path("submit/notes/<int:pk>/resolve/", submit_views.editorial_comment_resolve, name="editorial_comment_resolve"),
    path("editor/", editor_views.dashboard, name="editor_dashboard"),
    path("editor/articles/<int:pk>/", editor_views.review, name="editor_review"),
    path("editor/articles/<int:pk>/edit/", editor_views.edit, name="editor_edit"),
    path("editor/articles/<int:pk>/scan/", editor_views.scan_resolve, name="editor_scan_resolve"),
    path("editor/articles/<int:pk>/address/", trash_views.article_slug, name="editor_article_slug"),
    path("editor/articles/<int:pk>/<slug:name>/", editor_views.action, name="editor_action"),
    # E-mail submissions (articles.mail.views).
    path("editor/mail/", mail_views.queue, name="editor_mail"),
    path("editor/mail/<int:pk>/", mail_views.detail, name="editor_mail_detail"),
    path("editor/mail/<int:pk>/scan/", mail_views.scan_resolve, name="editor_mail_scan_resolve"),
    path("editor/mail/<int:pk>/<slug:name>/", mail_views.action, name="editor_mail_action"),
    path("editor/mail/attachments/<int:pk>/", mail_views.attachment, name="editor_mail_attachment"),
    path("editor/mail/messages/<int:pk>/raw/", mail_views.raw_message, name="editor_mail_raw"),
    path("editor/mail/messages/<int:pk>/retry/", mail_views.retry, name="editor_mail_retry"),
]
