"""Staff views of the CRM. Health notes stay out of the admin's lists and search."""

from django.contrib import admin

from trainerhub.clients.models import Client, ClientFile, IntakeField, Note, Tag


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["first_name", "last_name", "email", "trainer", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["search_text"]
    readonly_fields = ["search_text", "created_at", "updated_at", "archived_at", "erased_at"]
    # Sensitive: not even staff see a trainer's health notes, nor the intake answers, which
    # often hold health facts too ("injuries", "medication"). Excluded fields are also left
    # untouched when staff save the form.
    exclude = ["health_notes", "custom_fields"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "trainer"]


@admin.register(IntakeField)
class IntakeFieldAdmin(admin.ModelAdmin):
    list_display = ["label", "key", "kind", "trainer", "is_active", "on_booking_form"]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["client", "trainer", "created_at"]
    exclude = ["body"]


@admin.register(ClientFile)
class ClientFileAdmin(admin.ModelAdmin):
    list_display = ["name", "client", "content_type", "size", "created_at"]
    exclude = ["file"]
