from django.urls import path

from trainerhub.billing import api
from trainerhub.billing.api import online as api_online

urlpatterns = [
    path("payments/", api.PaymentListApi.as_view(), name="api-payments"),
    path("payments/<int:pk>/", api.PaymentDetailApi.as_view(), name="api-payment"),
    path("payments/<int:pk>/refund", api.PaymentRefundApi.as_view(), name="api-payment-refund"),
    path("invoices/", api.InvoiceListApi.as_view(), name="api-invoices"),
    path("invoices/<int:pk>/", api.InvoiceDetailApi.as_view(), name="api-invoice"),
    path("invoices/<int:pk>/issue", api.InvoiceIssueApi.as_view(), name="api-invoice-issue"),
    path("invoices/<int:pk>/void", api.InvoiceVoidApi.as_view(), name="api-invoice-void"),
    path("invoices/<int:pk>/pdf", api.InvoicePdfApi.as_view(), name="api-invoice-pdf"),
    path("invoices/<int:pk>/send", api.InvoiceSendApi.as_view(), name="api-invoice-send"),
    path("revenue/", api.RevenueApi.as_view(), name="api-revenue"),
    path("settings/payments", api_online.PaymentSettingsApi.as_view(), name="api-payment-settings"),
    path(
        "bookings/<int:pk>/refund", api_online.BookingRefundApi.as_view(), name="api-booking-refund"
    ),
    path(
        "webhooks/stripe/<slug:slug>",
        api_online.StripeWebhookApi.as_view(),
        name="api-webhook-stripe",
    ),
]
