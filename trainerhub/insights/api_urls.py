from django.urls import path

from trainerhub.insights import report
from trainerhub.insights.api import insight_view

urlpatterns = [
    path(f"insights/{name}", insight_view(name).as_view(), name=f"api-insights-{name}")
    for name in report.SECTIONS
]
