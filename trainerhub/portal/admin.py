from django.contrib import admin

from trainerhub.portal.models import PortalSettings


@admin.register(PortalSettings)
class PortalSettingsAdmin(admin.ModelAdmin):
    list_display = ["trainer", "enabled", "cancellation_window_hours", "updated_at"]
    list_filter = ["enabled"]
    readonly_fields = ["invite_code"]

    def get_queryset(self, request):
        # Staff see every trainer's row; the admin site itself decides who is staff.
        return PortalSettings.objects.select_related("trainer")
