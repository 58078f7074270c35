"""Every label, legend and message on the trainer's pages is in the trainer's words: no field
names ("first_name"), no labels Django derived from them ("Duration minutes", "Is online"),
no environment variable names outside the operator's folded notes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from trainerhub.clients.tests.factories import ClientFactory
from trainerhub.scheduling.tests.factories import make_service, open_every_day

pytestmark = pytest.mark.django_db

# A label Django makes from a field name: "Duration minutes", "Is online", "Max per day".
DEVELOPER_LABEL = re.compile(
    r"_|^(Is|Has|Max|Min) |\b(minutes|days|hours|id)$|\bJSON\b", re.IGNORECASE
)
ENV_NAME = re.compile(r"\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+\b")


class Texts(HTMLParser):
    """The text of every <label> and <legend>, and all visible text outside <details>."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[str] = []
        self.visible: list[str] = []
        self._label: list[str] | None = None
        self._hidden = 0  # depth inside <details>, <script>, <style>

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("label", "legend"):
            self._label = []
        if tag in ("details", "script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("label", "legend") and self._label is not None:
            self.labels.append(" ".join("".join(self._label).split()).rstrip(" *"))
            self._label = None
        if tag in ("details", "script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self._label.append(data)
        if not self._hidden:
            self.visible.append(data)


def page_texts(client, url: str) -> Texts:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = Texts()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def practice(alice):
    open_every_day(alice)
    service = make_service(alice)
    person = ClientFactory(trainer=alice, first_name="Carol")
    return service, person


def trainer_pages(service, person) -> list[str]:
    return [
        reverse("scheduling:service_create"),
        reverse("scheduling:service_edit", args=[service.pk]),
        reverse("scheduling:hours"),
        reverse("scheduling:overrides"),
        reverse("scheduling:time_off"),
        reverse("scheduling:booking_new"),
        reverse("scheduling:bookings"),
        reverse("clients:create"),
        reverse("clients:edit", args=[person.pk]),
        reverse("clients:detail", args=[person.pk]),
        reverse("clients:import"),
        reverse("clients:tags"),
        reverse("clients:intake_fields"),
        reverse("notifications:settings"),
        reverse("accounts:profile"),
        reverse("portal:settings"),
    ]


def test_labels_are_in_the_trainers_words(client, alice, practice, settings):
    settings.TWILIO_ACCOUNT_SID = settings.TELEGRAM_BOT_TOKEN = ""  # channels that are off
    client.force_login(alice)
    wrong: dict[str, list[str]] = {}
    for url in trainer_pages(*practice):
        texts = page_texts(client, url)
        bad = [label for label in texts.labels if DEVELOPER_LABEL.search(label)]
        bad += sorted(set(ENV_NAME.findall(" ".join(texts.visible))))
        if bad:
            wrong[url] = bad
    assert wrong == {}


def test_the_service_form_names_its_fields_plainly(client, alice, practice):
    client.force_login(alice)
    labels = page_texts(client, reverse("scheduling:service_create")).labels
    assert "Length (minutes)" in labels and "Held online" in labels
    assert "Duration minutes" not in labels and "Is online" not in labels


def test_switched_off_channels_are_explained_without_setting_names(client, alice, settings):
    settings.TWILIO_ACCOUNT_SID = ""
    client.force_login(alice)
    texts = page_texts(client, reverse("notifications:settings"))
    visible = " ".join("".join(texts.visible).split())
    assert "Text message (SMS): off: not set up on this server yet" in visible
    page = client.get(reverse("notifications:settings")).content.decode()
    details = page.split("<details", 1)[1].split("</details>", 1)[0]
    assert "TWILIO_ACCOUNT_SID" in details  # the operator still finds what to set
