from django.urls import path

from trainerhub.billing import views
from trainerhub.billing.views import online as views_online

app_name = "billing"

urlpatterns = [
    path("", views.home, name="home"),
    path("export.<str:fmt>", views.export, name="export"),
    path("owed/", views.owed, name="owed"),
    path("payments/<int:pk>/refund/", views.refund, name="refund"),
    path("bookings/<int:pk>/money/", views.booking_money, name="booking_money"),
    path("clients/<int:pk>/money/", views.client_money, name="client_money"),
    path("invoices/", views.invoices, name="invoices"),
    path("invoices/new/", views.invoice_new, name="invoice_new"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice"),
    path("invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:pk>/<str:action>/", views.invoice_action, name="invoice_action"),
    path("settings/", views.settings_page, name="settings"),
    path("payments/", views_online.payments_settings, name="payments_settings"),
    path("bookings/<int:pk>/refund/", views_online.booking_refund, name="booking_refund"),
    path("revenue/card/", views.dashboard_revenue, name="dashboard_revenue"),
    path("my/invoices/", views.my_invoices, name="my_invoices"),
    path("my/packages/", views_online.my_packages, name="my_packages"),
    path("my/invoices/<int:pk>/pdf/", views.my_invoice_pdf, name="my_invoice_pdf"),
]
