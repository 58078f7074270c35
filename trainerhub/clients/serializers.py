"""API input and output shapes of the CRM; the rules live in services and selectors."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from trainerhub.clients.models import Client, ClientFile, IntakeField, Note, Tag


class EmergencyContactSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150, allow_blank=True, required=False, default="")
    phone = serializers.CharField(max_length=32, allow_blank=True, required=False, default="")
    relation = serializers.CharField(max_length=60, allow_blank=True, required=False, default="")


class StatsSerializer(serializers.Serializer):
    completed = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    late_cancelled = serializers.IntegerField()
    no_shows = serializers.IntegerField()
    attendance_rate = serializers.FloatField(allow_null=True)
    first_visit = serializers.DateTimeField(allow_null=True)
    last_visit = serializers.DateTimeField(allow_null=True)
    next_booking = serializers.DateTimeField(allow_null=True)
    upcoming = serializers.IntegerField()


_STATS_OUTPUT = StatsSerializer()


class ClientInputSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100, allow_blank=True, required=False)
    email = serializers.CharField(max_length=254, allow_blank=True, required=False)
    phone = serializers.CharField(max_length=40, allow_blank=True, required=False)
    preferred_channel = serializers.ChoiceField(Client.Channel.choices, required=False)
    date_of_birth = serializers.DateField(allow_null=True, required=False)
    address = serializers.CharField(max_length=500, allow_blank=True, required=False)
    emergency_contact = EmergencyContactSerializer(required=False)
    goals = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    level = serializers.CharField(max_length=100, allow_blank=True, required=False)
    health_notes = serializers.CharField(max_length=10000, allow_blank=True, required=False)
    preferences = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    referral_source = serializers.CharField(max_length=150, allow_blank=True, required=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50), max_length=100, required=False
    )
    custom_fields = serializers.DictField(required=False)
    status = serializers.ChoiceField(Client.Status.choices, required=False)
    # A second client with an existing client's email is a 409 `duplicate_email` (with that
    # client's id) unless this is true.
    allow_duplicate = serializers.BooleanField(required=False, write_only=True)

    def to_service_kwargs(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        contact = data.pop("emergency_contact", None)
        if contact is not None:
            for key in ("name", "phone", "relation"):
                if key in contact or not self.partial:
                    data[f"emergency_contact_{key}"] = contact.get(key, "")
        return data


class ClientSerializer(serializers.Serializer):
    """One client as the API shows it; `health_notes` only on the detail."""

    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    preferred_channel = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    address = serializers.CharField()
    emergency_contact = serializers.SerializerMethodField()
    goals = serializers.CharField()
    level = serializers.CharField()
    health_notes = serializers.CharField()
    preferences = serializers.CharField()
    referral_source = serializers.CharField()
    tags = serializers.SerializerMethodField()
    custom_fields = serializers.DictField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    archived_at = serializers.DateTimeField(allow_null=True)
    stats = serializers.SerializerMethodField()

    def __init__(self, *args: Any, include_health: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not include_health:
            self.fields.pop("health_notes")

    def get_emergency_contact(self, obj: Client) -> dict[str, str]:
        return {
            "name": obj.emergency_contact_name,
            "phone": obj.emergency_contact_phone,
            "relation": obj.emergency_contact_relation,
        }

    def get_tags(self, obj: Client) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @extend_schema_field(StatsSerializer(allow_null=True))
    def get_stats(self, obj: Client) -> dict[str, Any] | None:
        stats = self.context.get("stats", {}).get(obj.pk)
        # One shared serializer: building a DRF serializer per row was 40% of a list page.
        return _STATS_OUTPUT.to_representation(stats.as_dict()) if stats else None


class ClientListSerializer(ClientSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, include_health=False, **kwargs)


class NoteRevisionSerializer(serializers.Serializer):
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class NoteSerializer(serializers.ModelSerializer):
    revisions = NoteRevisionSerializer(many=True, read_only=True)

    class Meta:
        model = Note
        fields = ["id", "body", "booking", "created_at", "updated_at", "revisions"]


class NoteInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=20000)
    booking = serializers.IntegerField(allow_null=True, required=False)


class ClientFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClientFile
        fields = ["id", "name", "kind", "content_type", "size", "created_at"]


class FileUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(ClientFile.Kind.choices, required=False, default="attachment")


class TagSerializer(serializers.ModelSerializer):
    client_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Tag
        fields = ["id", "name", "color", "client_count"]


class TagInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    color = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", required=False)


class IntakeFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = IntakeField
        fields = [
            "id",
            "key",
            "label",
            "kind",
            "choices",
            "required",
            "on_booking_form",
            "order",
            "is_active",
        ]


class IntakeFieldInputSerializer(serializers.Serializer):
    # The stubs see `label`/`required`/`errors` as the serializer's own attributes; DRF moves
    # declared fields off the class, so these names shadow nothing at runtime.
    label = serializers.CharField(max_length=120)  # type: ignore[assignment]
    key = serializers.SlugField(max_length=50, required=False)
    kind = serializers.ChoiceField(IntakeField.Kind.choices, required=False)
    choices = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=50, required=False
    )
    required = serializers.BooleanField(required=False)  # type: ignore[assignment]
    on_booking_form = serializers.BooleanField(required=False)
    order = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    is_active = serializers.BooleanField(required=False)


class BookingSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    service = serializers.CharField(source="service.name")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    status = serializers.CharField()
    notes = serializers.CharField()
    cancellation_reason = serializers.CharField()
    late_cancellation = serializers.BooleanField()


class ImportRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    values = serializers.DictField()
    errors = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]
    duplicate = serializers.CharField()


class ImportPreviewSerializer(serializers.Serializer):
    token = serializers.CharField()
    columns = serializers.DictField(child=serializers.CharField())
    ignored_columns = serializers.ListField(child=serializers.CharField())
    new_tags = serializers.ListField(child=serializers.CharField())
    rows = ImportRowSerializer(many=True)
    valid_count = serializers.IntegerField()
    errors = ImportRowSerializer(many=True)  # type: ignore[assignment]
    duplicates = ImportRowSerializer(many=True)


class ImportCommitSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=2_000_000)
    confirm = serializers.BooleanField()


class ImportJobSerializer(serializers.Serializer):
    """A confirmed import, written by the background worker in batches."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["queued", "running", "done", "failed"])
    total = serializers.IntegerField(help_text="Rows to import.")
    processed = serializers.IntegerField(help_text="Rows done so far.")
    percent = serializers.IntegerField()
    created = serializers.IntegerField(source="created_count")
    skipped = serializers.IntegerField(
        source="skipped_count", help_text="A client with the same email exists meanwhile."
    )
    error = serializers.CharField()


class ClientEraseSerializer(serializers.Serializer):
    confirm = serializers.CharField(
        max_length=250, help_text="The client's full name, as a confirmation."
    )


class ErasureSerializer(serializers.Serializer):
    client_id = serializers.IntegerField(source="client_pk")
    erased_at = serializers.DateTimeField()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Rows erased or anonymised, per model."
    )


class ArchiveParamsSerializer(serializers.Serializer):
    cancel_future = serializers.BooleanField(default=False)
    message = serializers.CharField(max_length=1000, required=False, default="", allow_blank=True)
