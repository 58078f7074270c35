from django.urls import path

from trainerhub.plans import api

urlpatterns = [
    path("plans", api.PlanListApi.as_view(), name="api-plans"),
    path("subscription", api.SubscriptionApi.as_view(), name="api-subscription"),
    path("webhooks/paddle", api.PaddleWebhookApi.as_view(), name="api-webhooks-paddle"),
]
