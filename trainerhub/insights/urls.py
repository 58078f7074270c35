from django.urls import path

from trainerhub.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.home, name="home"),
    path("clients/<int:pk>/check-in", views.check_in, name="check_in"),
    path("assistant/", views.assistant, name="assistant"),
    path("assistant/history/", views.assistant_history, name="assistant_history"),
    path("why-not-free", views.why_not_free, name="why_not_free"),
    path("export/<slug:name>.csv", views.export, name="export"),
]
