from django.urls import path

from trainerhub.insights import report
from trainerhub.insights.api import AssistantAskApi, AssistantHistoryApi, insight_view

urlpatterns = [
    path(f"insights/{name}", insight_view(name).as_view(), name=f"api-insights-{name}")
    for name in report.SECTIONS
]

urlpatterns += [
    path("assistant/ask", AssistantAskApi.as_view(), name="api-assistant-ask"),
    path("assistant/history", AssistantHistoryApi.as_view(), name="api-assistant-history"),
]
