from django.urls import path

from trainerhub.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.billing, name="billing"),
    path("<int:pk>/checkout", views.checkout, name="checkout"),
    path("payments/<int:pk>/invoice", views.invoice, name="invoice"),
]
