from django.urls import path

from trainerhub.packages import views

app_name = "packages"

urlpatterns = [
    path("", views.home, name="home"),
    path("policy/", views.policy, name="policy"),
    path("sell/", views.sell, name="sell"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/toggle/", views.toggle, name="toggle"),
    path("sold/<int:pk>/", views.client_package, name="client_package"),
    path("sold/<int:pk>/refund/", views.refund, name="refund"),
]
