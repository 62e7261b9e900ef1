from django.urls import path, register_converter

from articles import sitemaps, views
from articles.addresses import UnicodeSlugConverter
from articles.workflow_urls import urlpatterns as workflow_urlpatterns

# Article and tag slugs may be Chinese (/a/私域流量的三个误区/, /tags/增长黑客/).
register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("a/<uslug:slug>/", views.article_detail, name="detail"),
    path("a/<uslug:slug>/comments/", views.comment_post, name="comment-post"),
    path("a/<uslug:slug>/comments/<int:pk>/moderate/", views.comment_moderate, name="comment-moderate"),
    path("a/<uslug:slug>/comments/<int:pk>/reply/", views.comment_reply_form, name="comment-reply"),
    path("tags/<uslug:slug>/", views.tag_detail, name="tag"),
    path("authors/<str:username>/", views.author_detail, name="author"),
    path("search/", views.search, name="search"),
    path("feed/", views.feed, name="feed"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("submit/", views.submit, name="submit"),
]

# The editorial workflow: /submit/… (authors) and /editor/… (editors).
urlpatterns += workflow_urlpatterns
