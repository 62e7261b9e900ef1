"""URLs that exist only for `make bench` (mounted under /__bench__/ when YUMAO_BENCH=1).

- bare/: the smallest Django view, through the full middleware stack: the yardstick.
- a/<slug>/: the article page with every cache bypassed (page and fragment), to measure
  what a reader pays on a cache miss.
"""

from django.http import HttpResponse
from django.urls import path

from articles.views import article_detail


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bare/", bare),
    path("a/<slug:slug>/", article_detail, {"use_cache": False}),
]
