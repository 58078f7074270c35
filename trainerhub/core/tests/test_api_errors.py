"""The API's one exception handler: a Django ValidationError is a 400 with its messages."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from trainerhub.core.api import exception_handler


def test_field_messages_become_a_400_keyed_by_field():
    error = ValidationError({"name": ["Too long.", "Not unique."], "__all__": ["Clash."]})
    response = exception_handler(error, {})
    assert response is not None
    assert response.status_code == 400
    assert response.data == {"name": ["Too long.", "Not unique."], "non_field_errors": ["Clash."]}


def test_a_message_without_a_field_is_a_non_field_error():
    response = exception_handler(ValidationError("Nope."), {})
    assert response is not None
    assert (response.status_code, response.data) == (400, {"non_field_errors": ["Nope."]})
