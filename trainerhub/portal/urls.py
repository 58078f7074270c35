from django.urls import path

from trainerhub.portal.views import answers, book, brand, claim, manage, my, notices
from trainerhub.portal.views import settings as settings_pages

app_name = "portal"
urlpatterns = [
    path("book/<slug:slug>/", book.book, name="book"),
    path("book/<slug:slug>/details/", book.book_details, name="book_details"),
    path("book/<slug:slug>/price/", book.book_price, name="book_price"),
    path("book/<slug:slug>/booked/<str:token>/", book.book_done, name="book_done"),
    path("book/<slug:slug>/brand/<str:kind>/", brand.brand_image, name="brand_image"),
    path("manage/<str:token>/", manage.manage, name="manage"),
    path("manage/<str:token>/cancel/", manage.manage_cancel, name="manage_cancel"),
    path("manage/<str:token>/reschedule/", manage.manage_reschedule, name="manage_reschedule"),
    path("manage/<str:token>/calendar.ics", manage.manage_ics, name="manage_ics"),
    path("manage/<str:token>/account/", manage.manage_account, name="manage_account"),
    path("join/<str:code>/", my.join, name="join"),
    path("my/", my.my_home, name="my_home"),
    path("my/claim/<str:token>/", claim.my_claim, name="my_claim"),
    path("my/login/", my.my_login, name="my_login"),
    path("my/logout/", my.my_logout, name="my_logout"),
    path(
        "my/password/reset/",
        my.ClientPasswordResetView.as_view(),
        name="my_password_reset",
    ),
    path(
        "my/password/reset/sent/",
        my.ClientPasswordResetDoneView.as_view(),
        name="my_password_reset_done",
    ),
    path(
        "my/password/reset/<uidb64>/<token>/",
        my.ClientPasswordResetConfirmView.as_view(),
        name="my_password_reset_confirm",
    ),
    path(
        "my/password/reset/done/",
        my.ClientPasswordResetCompleteView.as_view(),
        name="my_password_reset_complete",
    ),
    path("my/notifications/", notices.my_notifications, name="my_notifications"),
    path(
        "my/notifications/<int:pk>/read/",
        notices.my_notification_read,
        name="my_notification_read",
    ),
    path(
        "my/notifications/read-all/",
        notices.my_notifications_read_all,
        name="my_notifications_read_all",
    ),
    path("my/notifications/unread/", notices.my_unread_badge, name="my_unread_badge"),
    path("my/bookings/<int:pk>/", manage.my_booking, name="my_booking"),
    path("my/bookings/<int:pk>/cancel/", manage.my_cancel, name="my_cancel"),
    path("my/bookings/<int:pk>/reschedule/", manage.my_reschedule, name="my_reschedule"),
    path("my/bookings/<int:pk>/calendar.ics", manage.my_ics, name="my_ics"),
    path("portal/settings/", settings_pages.portal_settings, name="settings"),
    path(
        "portal/answers/<int:pk>/<str:action>/",
        answers.answers_decide,
        name="answers_decide",
    ),
    path("portal/settings/brand/", brand.portal_branding, name="branding"),
    path(
        "portal/settings/invite/", settings_pages.portal_invite_regenerate, name="settings_invite"
    ),
]
