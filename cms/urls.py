from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on every page; the icon is an SVG in static/.
    path("favicon.ico", RedirectView.as_view(url=static_url("favicon.svg"), permanent=True)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("accounts.api_urls")),
    path("api/v1/", include("moderation.api_urls")),
    path("api/v1/", include("articles.api_urls")),
    path("", include("accounts.urls")),  # /accounts/… and /become-author/…
    path("", include("moderation.urls")),
    path("", include("moderation.feedback_urls")),  # /feedback/…, /moderation/appeals/…, /moderation/feedback/…
    path("", include("articles.images.urls")),  # /submit/images/…, the authors' image library
    path("", include("articles.urls")),
]

# Errors raised outside DRF's views: JSON for anything under /api/ (an unrouted /api/ path
# included), the site's own pages elsewhere (cms.error_views).
handler400 = "cms.error_views.bad_request"
handler403 = "cms.error_views.permission_denied"
handler404 = "cms.error_views.page_not_found"
handler500 = "cms.error_views.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.YUMAO_BENCH:
    # Only for `make bench` (bench/pages.py): a bare view and an uncached article page.
    # Last, like the site's own pages, so the bare view pays the same URL resolution.
    urlpatterns.append(path("__bench__/", include("bench.urls")))
