from django.contrib import admin

from trainerhub.notifications.models import Notification, NotificationAttempt


class AttemptInline(admin.TabularInline):
    model = NotificationAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("worker", "started_at", "finished_at", "outcome", "provider_id", "error")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "channel", "recipient", "status", "due_at", "attempts")
    list_filter = ("status", "kind", "channel")
    readonly_fields = [f.name for f in Notification._meta.fields]
    inlines = [AttemptInline]

    def get_queryset(self, request):
        return Notification.objects.all()
