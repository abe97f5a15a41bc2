"""Root URLs: pages, the admin, auth, language switch, the REST API and its schema."""

from django.contrib import admin
from django.urls import include, path

from org.api.docs import ApiDocsView, ApiRedocView, ApiSchemaView
from org.password_reset import PasswordResetView
from org.ui.charts import plotly_js

urlpatterns = [
    path("", include("org.urls")),
    # Django's password-reset request, limited per client address and per email address (before auth.urls).
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("diagnosis/", include("diagnosis.urls")),
    path("talent/", include("talent.urls")),
    path("enablement/", include("enablement.urls")),
    # The plotly.js bundle every page with charts loads (org.ui.charts); it kept the address it had when the
    # dashboards alone used it, so that pages and browser caches holding that address still find it.
    path("performance/vendor/plotly.min.js", plotly_js, name="plotly-js"),
    path("performance/", include("performance.urls")),
    path("rollout/", include("rollout.urls")),
    # The schema and its viewers need a login or a token unless API_DOCS_PUBLIC is on (org.api.docs).
    path("api/schema/", ApiSchemaView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", ApiRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/v1/", include("org.api.urls")),
    path("api/v1/", include("performance.api.urls")),
    path("api/v1/", include("diagnosis.api.urls")),
    path("api/v1/", include("talent.api.urls")),
    path("api/v1/", include("enablement.api.urls")),
    path("api/v1/", include("rollout.api.urls")),
]

# A database or job queue that cannot be reached answers 503 with a clear page or JSON; anything else is a 500.
# Under /api/ the 404 and the 500 are JSON too; pages get the 404 and 500 pages.
handler404 = "org.unavailable.page_not_found"
handler500 = "org.unavailable.server_error"
