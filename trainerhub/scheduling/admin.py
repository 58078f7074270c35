from django.contrib import admin

from trainerhub.scheduling.models import (
    Booking,
    BookingEvent,
    BookingSeries,
    DateOverride,
    Service,
    Session,
    TimeOff,
    WeeklyInterval,
)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "trainer", "duration_minutes", "capacity", "price", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(WeeklyInterval)
class WeeklyIntervalAdmin(admin.ModelAdmin):
    list_display = ["trainer", "weekday", "start", "end", "service"]


@admin.register(DateOverride)
class DateOverrideAdmin(admin.ModelAdmin):
    list_display = ["trainer", "date", "closed"]


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ["trainer", "start", "end", "reason"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["trainer", "service", "start", "end", "capacity", "active"]
    list_filter = ["active"]
    # Sessions change only through the booking services, which keep the guard's invariants.
    readonly_fields = [f.name for f in Session._meta.fields]


class BookingEventInline(admin.TabularInline):
    model = BookingEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "actor", "actor_user", "at", "data"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["trainer", "client", "service", "start", "status", "created_by"]
    list_filter = ["status", "created_by"]
    date_hierarchy = "start"
    raw_id_fields = ["client", "session", "series"]
    readonly_fields = ["session", "start", "end", "status", "manage_token", "sequence"]
    inlines = [BookingEventInline]


@admin.register(BookingSeries)
class BookingSeriesAdmin(admin.ModelAdmin):
    list_display = ["trainer", "client", "service", "every_weeks", "count", "until"]
