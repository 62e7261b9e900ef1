"""URLs that exist only for `make bench` (mounted under /__bench__/ when YUMAO_BENCH=1).

- bare/: the smallest Django view, through the full middleware stack: the yardstick.
- plain/: a plain template page with one query, the issue's point of comparison (0.33×).
- a/<slug>/: the article page with every cache bypassed (page and fragment): everything
  read from the database and rendered.
- a-rendered/<slug>/: the page rendered for each request around the cached article
  fragment — what a signed-in reader gets, and anyone right after a comment.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

import articles.urls  # noqa: F401  (registers the <uslug:> converter)
from articles.models import Article
from articles.views import article_detail

PLAIN_PAGE = engines["django"].from_string(
    '<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>{{ title }}</title></head>'
    "<body><h1>{{ title }}</h1><ul>{% for a in articles %}<li>{{ a.title }}</li>{% endfor %}</ul></body></html>"
)


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


def plain(request):
    articles = Article.objects.filter(status="published").only("title").order_by("-id")[:5]
    return HttpResponse(PLAIN_PAGE.render({"title": "基准页面", "articles": articles}, request))


urlpatterns = [
    path("bare/", bare),
    path("plain/", plain),
    path("a/<uslug:slug>/", article_detail, {"use_page_cache": False, "use_fragment_cache": False}),
    path("a-rendered/<uslug:slug>/", article_detail, {"use_page_cache": False}),
]
