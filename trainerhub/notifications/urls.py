from django.urls import path

from trainerhub.notifications import preview, views

app_name = "notifications"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("unread/", views.unread_badge, name="unread_badge"),
    path("log/", views.log, name="log"),
    path("log/client/<int:client_id>/", views.client_log, name="client_log"),
    path("settings/", views.preferences, name="settings"),
    path("settings/sms/", views.sms_account_save, name="sms_account_save"),
    path("settings/sms/remove/", views.sms_account_remove, name="sms_account_remove"),
    path("settings/telegram/", views.telegram_bot_save, name="telegram_bot_save"),
    path("settings/telegram/remove/", views.telegram_bot_remove, name="telegram_bot_remove"),
    path("settings/feed/regenerate/", views.feed_regenerate, name="feed_regenerate"),
    path("settings/feed/revoke/", views.feed_revoke, name="feed_revoke"),
    path("preview/", preview.preview, name="preview"),
    path("preview/<str:kind>/", preview.preview, name="preview_kind"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("telegram/webhook/<str:secret>/", views.telegram_webhook, name="telegram_webhook"),
]
