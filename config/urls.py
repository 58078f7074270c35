from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from trainerhub.core import views as core_views
from trainerhub.notifications.feeds import calendar_feed

api_v1 = [
    path("", include("trainerhub.accounts.api_urls")),
    path("", include("trainerhub.scheduling.api_urls")),
    path("", include("trainerhub.clients.api_urls")),
    path("", include("trainerhub.portal.api_urls")),
    path("", include("trainerhub.notifications.api_urls")),
    path("", include("trainerhub.calendars.api_urls")),
    path("", include("trainerhub.packages.api_urls")),
    path("", include("trainerhub.billing.api_urls")),
    path("", include("trainerhub.contracts.api_urls")),
    path("", include("trainerhub.coaching.api_urls")),
    path("", include("trainerhub.insights.api_urls")),
    path("", include("trainerhub.plans.api_urls")),
    path("", include("trainerhub.webhooks.api_urls")),
]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Split: Swagger UI's settings script is a file of its own, not inline (the CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("accounts/", include("trainerhub.accounts.urls")),
    path("scheduling/", include("trainerhub.scheduling.urls")),
    path("clients/", include("trainerhub.clients.urls")),
    path("notifications/", include("trainerhub.notifications.urls")),
    path("calendars/", include("trainerhub.calendars.urls")),
    path("packages/", include("trainerhub.packages.urls")),
    path("billing/", include("trainerhub.billing.urls")),
    path("contracts/", include("trainerhub.contracts.urls")),
    path("coaching/", include("trainerhub.coaching.urls")),
    path("insights/", include("trainerhub.insights.urls")),
    path("plans/", include("trainerhub.plans.urls")),
    path("webhooks/", include("trainerhub.webhooks.urls")),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("", include("trainerhub.portal.urls")),
    path("", include("trainerhub.dashboard.urls")),
]
