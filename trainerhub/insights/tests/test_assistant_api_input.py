"""The assistant's API takes one field, under the API's one input rule (issue 18 item 19)."""

from __future__ import annotations

import pytest

from trainerhub.core.api import UNKNOWN_FIELD
from trainerhub.insights.models import AssistantQuestion

pytestmark = pytest.mark.django_db


def test_an_unknown_field_is_refused_by_name_and_nothing_is_asked(alice_api):
    r = alice_api.post(
        "/api/v1/assistant/ask", {"question": "Who booked most?", "lang": "de"}, format="json"
    )
    assert r.status_code == 400 and r.json() == {"lang": [UNKNOWN_FIELD]}
    assert not AssistantQuestion.objects.exists()
    missing = alice_api.post("/api/v1/assistant/ask", {}, format="json")
    assert missing.status_code == 400 and "question" in missing.json()
