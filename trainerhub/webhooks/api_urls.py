from django.urls import path

from trainerhub.webhooks import api

urlpatterns = [
    path("webhooks/endpoints", api.EndpointListApi.as_view(), name="api-webhook-endpoints"),
    path(
        "webhooks/endpoints/<int:pk>",
        api.EndpointDetailApi.as_view(),
        name="api-webhook-endpoint",
    ),
    path(
        "webhooks/endpoints/<int:pk>/test",
        api.EndpointTestApi.as_view(),
        name="api-webhook-endpoint-test",
    ),
    path(
        "webhooks/endpoints/<int:pk>/rotate-secret",
        api.EndpointRotateSecretApi.as_view(),
        name="api-webhook-endpoint-rotate",
    ),
    path("webhooks/deliveries", api.DeliveryListApi.as_view(), name="api-webhook-deliveries"),
    path(
        "webhooks/deliveries/<int:pk>",
        api.DeliveryDetailApi.as_view(),
        name="api-webhook-delivery",
    ),
]
