import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from liaison import views
from liaison.accounts.api.views import MeView, TokenView
from liaison.api_docs import SwaggerView
from liaison.uploads.views import serve_media

api_v1 = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("", include("liaison.notifications.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("stations.api.urls")),
    path("", include("bodies.api.urls")),
    path("", include("suggestions.api.urls")),
    path("", include("voting.api.urls")),
    path("", include("supervision.api.urls")),
    path("", include("duties.api.urls")),
    path("", include("motions.api.urls")),
    path("", include("legislation.api.urls")),
    path("", include("figures.api_urls")),
    path("", include("councils.api.urls")),
]

urlpatterns = [
    # The API first: its public POSTs are the hottest paths, and every pattern before them is tried in turn.
    path("api/v1/", include(api_v1)),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("lang/<str:code>/", views.switch_language, name="switch-language"),
    path("admin/", admin.site.urls),
    path("open311/v2/", include("open311.urls")),
    path("accounts/", include("liaison.accounts.urls")),
    path("", include("liaison.notifications.urls")),
    path("", include("suggestions.urls")),
    path("", include("voting.urls")),
    path("", include("supervision.urls")),
    path("", include("duties.urls")),
    path("", include("motions.urls")),
    path("", include("legislation.urls")),
    path("", include("figures.urls")),
    path("", include("councils.urls")),
    path("", include("stations.urls")),
]
if "://" not in settings.MEDIA_URL:
    # Uploaded files, with the headers that keep them from acting as pages (a proxy serving MEDIA_ROOT itself
    # must send the same ones; see the README).
    urlpatterns.append(
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$", serve_media, name="media")
    )

handler400 = "liaison.views.bad_request"
handler403 = "liaison.views.permission_denied"
handler404 = "liaison.views.page_not_found"
handler500 = "liaison.views.server_error"
