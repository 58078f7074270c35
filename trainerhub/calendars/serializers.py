"""API shapes of the trainer's own calendars: the secret URL and a CalDAV calendar's app
password are write-only, shown masked."""

from __future__ import annotations

from rest_framework import serializers

from trainerhub.calendars.fetching import masked
from trainerhub.calendars.models import CalendarSubscription
from trainerhub.core.crypto import mask


class CalendarSubscriptionSerializer(serializers.ModelSerializer):
    url = serializers.CharField(write_only=True, max_length=2000)
    url_masked = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(
        choices=CalendarSubscription.Kind.choices, default=CalendarSubscription.Kind.ICS
    )
    username = serializers.CharField(required=False, allow_blank=True, max_length=200)
    password = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=500, trim_whitespace=False
    )
    password_masked = serializers.SerializerMethodField()
    color = serializers.RegexField(
        r"^(#[0-9a-fA-F]{6})?$", required=False, allow_blank=True, max_length=7
    )

    class Meta:
        model = CalendarSubscription
        fields = [
            "id",
            "name",
            "kind",
            "url",
            "url_masked",
            "username",
            "password",
            "password_masked",
            "color",
            "is_active",
            "last_attempt_at",
            "last_success_at",
            "last_error",
            "busy_count",
            "created_at",
        ]
        read_only_fields = [
            "last_attempt_at",
            "last_success_at",
            "last_error",
            "busy_count",
            "created_at",
        ]

    def get_url_masked(self, obj: CalendarSubscription) -> str:
        return masked(obj.url)

    def get_password_masked(self, obj: CalendarSubscription) -> str:
        return mask(obj.password)
