"""API shapes of the trainer's own calendars: the secret URL is write-only, shown masked."""

from __future__ import annotations

from rest_framework import serializers

from trainerhub.calendars.fetching import masked
from trainerhub.calendars.models import CalendarSubscription


class CalendarSubscriptionSerializer(serializers.ModelSerializer):
    url = serializers.CharField(write_only=True, max_length=2000)
    url_masked = serializers.SerializerMethodField()
    color = serializers.RegexField(
        r"^(#[0-9a-fA-F]{6})?$", required=False, allow_blank=True, max_length=7
    )

    class Meta:
        model = CalendarSubscription
        fields = [
            "id",
            "name",
            "url",
            "url_masked",
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
