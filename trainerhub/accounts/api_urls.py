from django.urls import path

from trainerhub.accounts import api

urlpatterns = [
    path("auth/register", api.RegisterView.as_view(), name="api-auth-register"),
    path("auth/login", api.LoginView.as_view(), name="api-auth-login"),
    path("auth/refresh", api.RefreshView.as_view(), name="api-auth-refresh"),
    path("auth/logout", api.LogoutView.as_view(), name="api-auth-logout"),
    path("auth/verify-email", api.VerifyEmailView.as_view(), name="api-auth-verify-email"),
    path(
        "me/verify-email/resend",
        api.VerifyEmailResendView.as_view(),
        name="api-me-verify-email-resend",
    ),
    path("me", api.MeView.as_view(), name="api-me"),
    path("me/password", api.PasswordView.as_view(), name="api-me-password"),
]
