from django.urls import path

from trainerhub.insights import report
from trainerhub.insights.api import AssistantAskApi, AssistantHistoryApi, insight_view
from trainerhub.scheduling.api.slots import SlotExplainApi

urlpatterns = [
    path(f"insights/{name}", insight_view(name).as_view(), name=f"api-insights-{name}")
    for name in report.SECTIONS
]

# The slot explainer (scheduling's): routed here while scheduling/api_urls.py is being
# changed by another area; the view lives with the slots API.
urlpatterns.append(path("slots/explain", SlotExplainApi.as_view(), name="api-slots-explain"))
urlpatterns += [
    path("assistant/ask", AssistantAskApi.as_view(), name="api-assistant-ask"),
    path("assistant/history", AssistantHistoryApi.as_view(), name="api-assistant-history"),
]
