from django.urls import path

from trainerhub.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.home, name="home"),
    path("clients/<int:pk>/check-in", views.check_in, name="check_in"),
    path("export/<slug:name>.csv", views.export, name="export"),
]
