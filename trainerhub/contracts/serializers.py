"""API shapes of contract templates, contracts and their events."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from rest_framework import serializers

from trainerhub.contracts.models import Contract, ContractEvent, ContractTemplate, Signers


class ContractTemplateSerializer(serializers.ModelSerializer):
    services = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, write_only=True
    )
    pdf_base64 = serializers.CharField(write_only=True, required=False, allow_blank=False)
    pdf_name = serializers.CharField(required=False, max_length=200)
    has_pdf = serializers.SerializerMethodField()
    body = serializers.CharField(required=False, allow_blank=True, max_length=100_000)

    class Meta:
        model = ContractTemplate
        fields = [
            "id",
            "name",
            "body",
            "fields",
            "signers",
            "services",
            "required_when",
            "expires_days",
            "is_active",
            "pdf_base64",
            "pdf_name",
            "has_pdf",
            "stamp_page",
            "stamp_x_mm",
            "stamp_y_mm",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_has_pdf(self, obj: ContractTemplate) -> bool:
        return bool(obj.pdf_name)

    def to_representation(self, instance: ContractTemplate) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["services"] = sorted(s.pk for s in instance.services.all())
        return data

    def validate_pdf_base64(self, value: str) -> bytes:
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError("Send the PDF as base64.") from None

    def to_internal_value(self, data: Any) -> Any:
        values = super().to_internal_value(data)
        if "pdf_base64" in values:
            values["pdf"] = values.pop("pdf_base64")
        return values


class ContractSerializer(serializers.ModelSerializer):
    status = serializers.CharField(source="shown_status", read_only=True)
    status_label = serializers.CharField(source="shown_status_label", read_only=True)
    client_name = serializers.CharField(source="client.full_name", read_only=True)
    signers = serializers.ChoiceField(choices=Signers.choices, read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "template",
            "client",
            "client_name",
            "booking",
            "title",
            "signers",
            "status",
            "status_label",
            "document_sha256",
            "sent_to",
            "sent_at",
            "expires_at",
            "viewed_at",
            "signed_at",
            "completed_at",
            "declined_at",
            "decline_reason",
            "voided_at",
            "final_sha256",
            "last_error",
            "created_at",
        ]
        read_only_fields = fields


class ContractDetailSerializer(ContractSerializer):
    class Meta(ContractSerializer.Meta):
        fields = [
            *ContractSerializer.Meta.fields,
            "document_html",
            "merge_values",
            "fields",
            "field_values",
        ]
        read_only_fields = fields


class ContractCreateSerializer(serializers.Serializer):
    template = serializers.IntegerField(min_value=1)
    client = serializers.IntegerField(min_value=1)
    booking = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    send = serializers.BooleanField(required=False, default=False)


class ContractEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractEvent
        fields = [
            "seq",
            "kind",
            "at",
            "ip_address",
            "user_agent",
            "identified_by",
            "data",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields


class VoidSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class SignSerializer(serializers.Serializer):
    consent = serializers.JSONField(required=False)
    signature = serializers.JSONField(required=False)


# "fields" is the name the API documents, and also a Serializer attribute: declared this way.
SignSerializer._declared_fields["fields"] = serializers.DictField(required=False, default=dict)


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)
