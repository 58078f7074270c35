"""Staff manage trainer accounts here: find, activate, deactivate."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest

from trainerhub.accounts import services
from trainerhub.accounts.models import User


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name", "role", "timezone")


class UserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict = {}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ("email", "name", "business_name", "role", "is_active", "date_joined")
    list_filter = ("role", "is_active", "is_staff", "date_joined")
    search_fields = ("email", "name", "business_name", "slug")
    ordering = ("-date_joined",)
    readonly_fields = ("date_joined", "last_login")
    actions = ("activate", "deactivate")
    fieldsets = (
        (None, {"fields": ("email", "password", "role")}),
        (
            "Profile",
            {"fields": ("name", "business_name", "slug", "timezone", "phone", "bio", "currency")},
        ),
        (
            "Access",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "name", "role", "timezone", "password1", "password2"),
            },
        ),
    )

    @admin.action(description="Activate the selected accounts")
    def activate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = services.user_set_active(users=queryset, active=True)
        self.message_user(request, f"{count} account(s) activated.", messages.SUCCESS)

    @admin.action(description="Deactivate the selected accounts (they can no longer sign in)")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = services.user_set_active(users=queryset, active=False)
        self.message_user(request, f"{count} account(s) deactivated.", messages.SUCCESS)
