from django.urls import path

from trainerhub.portal import (
    views_answers,
    views_book,
    views_brand,
    views_claim,
    views_manage,
    views_my,
    views_settings,
)

app_name = "portal"
urlpatterns = [
    path("book/<slug:slug>/", views_book.book, name="book"),
    path("book/<slug:slug>/details/", views_book.book_details, name="book_details"),
    path("book/<slug:slug>/booked/<str:token>/", views_book.book_done, name="book_done"),
    path("book/<slug:slug>/brand/<str:kind>/", views_brand.brand_image, name="brand_image"),
    path("manage/<str:token>/", views_manage.manage, name="manage"),
    path("manage/<str:token>/cancel/", views_manage.manage_cancel, name="manage_cancel"),
    path(
        "manage/<str:token>/reschedule/", views_manage.manage_reschedule, name="manage_reschedule"
    ),
    path("manage/<str:token>/calendar.ics", views_manage.manage_ics, name="manage_ics"),
    path("manage/<str:token>/account/", views_manage.manage_account, name="manage_account"),
    path("join/<str:code>/", views_my.join, name="join"),
    path("my/", views_my.my_home, name="my_home"),
    path("my/claim/<str:token>/", views_claim.my_claim, name="my_claim"),
    path("my/login/", views_my.my_login, name="my_login"),
    path("my/logout/", views_my.my_logout, name="my_logout"),
    path(
        "my/password/reset/",
        views_my.ClientPasswordResetView.as_view(),
        name="my_password_reset",
    ),
    path(
        "my/password/reset/sent/",
        views_my.ClientPasswordResetDoneView.as_view(),
        name="my_password_reset_done",
    ),
    path(
        "my/password/reset/<uidb64>/<token>/",
        views_my.ClientPasswordResetConfirmView.as_view(),
        name="my_password_reset_confirm",
    ),
    path(
        "my/password/reset/done/",
        views_my.ClientPasswordResetCompleteView.as_view(),
        name="my_password_reset_complete",
    ),
    path("my/bookings/<int:pk>/", views_manage.my_booking, name="my_booking"),
    path("my/bookings/<int:pk>/cancel/", views_manage.my_cancel, name="my_cancel"),
    path("my/bookings/<int:pk>/reschedule/", views_manage.my_reschedule, name="my_reschedule"),
    path("my/bookings/<int:pk>/calendar.ics", views_manage.my_ics, name="my_ics"),
    path("portal/settings/", views_settings.portal_settings, name="settings"),
    path(
        "portal/answers/<int:pk>/<str:action>/",
        views_answers.answers_decide,
        name="answers_decide",
    ),
    path("portal/settings/brand/", views_brand.portal_branding, name="branding"),
    path(
        "portal/settings/invite/", views_settings.portal_invite_regenerate, name="settings_invite"
    ),
]
