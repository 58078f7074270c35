"""Clients at risk: the rule, its sentence, the planted data set, the check-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from trainerhub.insights import risk
from trainerhub.insights.generate import generate
from trainerhub.insights.tests.factories import at, make_booking, make_client
from trainerhub.notifications.models import Notification

NOW = datetime(2026, 3, 18, 12, tzinfo=UTC)


def _every(days: int, n: int, last_ago: int) -> list[datetime]:
    last = NOW - timedelta(days=last_ago)
    return [last - timedelta(days=days * k) for k in range(n - 1, -1, -1)]


def test_weekly_client_away_23_days_is_at_risk_and_says_why():
    level, reasons, since, usual = risk.judge(_every(7, 6, 23), NOW, has_upcoming=False)
    assert (level, since, usual) == ("at_risk", 23, 7)
    assert "; ".join(reasons) == "usually every 7 days; last session 23 days ago; no booking ahead"


def test_thresholds():
    # Twice a 7-day gap is 14 (the floor too): day 14 is fine, day 15 is at risk.
    assert risk.judge(_every(7, 5, 14), NOW, has_upcoming=False)[0] is None
    assert risk.judge(_every(7, 5, 15), NOW, has_upcoming=False)[0] == "at_risk"
    # A 3-day rhythm still waits for the 14-day floor.
    assert risk.judge(_every(3, 8, 13), NOW, has_upcoming=False)[0] is None
    # A monthly client: twice 30 = 60 days before at risk, 90 before lapsed.
    assert risk.judge(_every(30, 5, 59), NOW, has_upcoming=False)[0] is None
    assert risk.judge(_every(30, 5, 61), NOW, has_upcoming=False)[0] == "at_risk"
    assert risk.judge(_every(30, 5, 91), NOW, has_upcoming=False)[0] == "lapsed"
    # A booking ahead: never flagged.
    assert risk.judge(_every(7, 5, 200), NOW, has_upcoming=True)[0] is None
    # One visit: 14 and 90 days, "came once".
    level, reasons, *_ = risk.judge(_every(7, 1, 20), NOW, has_upcoming=False)
    assert level == "at_risk" and reasons[0] == "came once"


@pytest.mark.django_db
def test_planted_lapsing_clients_are_found(alice):
    made = generate(alice, clients=120, days=365, planted_share=0.3, seed=7, now=NOW)
    flagged = {f.client for f in risk.flags(trainer=alice, now=NOW)}
    planted = made.planted
    assert len(planted) >= 25
    found = len(flagged & planted) / len(planted)
    false = len(flagged - planted) / max(len(flagged), 1)
    assert found >= 0.9, found
    assert false <= 0.1, false


@pytest.mark.django_db
def test_flags_only_the_trainers_own_clients(alice, bob):
    generate(bob, clients=20, planted_share=0.5, seed=3, now=NOW)
    assert risk.flags(trainer=alice, now=NOW) == []


@pytest.mark.django_db
def test_sample_command(alice, capsys):
    with time_machine.travel(NOW, tick=False):
        call_command("insights_sample", "alice@example.com", "--clients", "30", "--seed", "2")
    out = capsys.readouterr().out
    assert out.startswith("30 clients,") and " 0 others." in out


@pytest.fixture
def lapsing(alice):
    with time_machine.travel(NOW, tick=False):
        client = make_client(alice, "Lena", last_name="Long", email="lena@example.com")
        for day in ("2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23"):
            make_booking(client, at(alice, day, "10:00"), status="completed")
        yield client


@pytest.mark.django_db
def test_api_and_dashboard_show_the_sentence(lapsing, alice, client):
    client.force_login(alice)
    with time_machine.travel(NOW, tick=False):
        from conftest import api_client_for

        body = api_client_for(alice).get("/api/v1/insights/at-risk").json()
        page = client.get("/insights/")
    assert body["clients"] == [
        {
            "client": lapsing.pk,
            "name": "Lena Long",
            "level": "at_risk",
            "why": "usually every 7 days; last session 23 days ago; no booking ahead.",
            "days_since": 23,
            "usual_gap_days": 7,
            "visits": 4,
            "last_visit": "2026-02-23T10:00:00+00:00",
        }
    ]
    assert (
        "Usually every 7 days; last session 23 days ago; no booking ahead." in page.content.decode()
    )


@pytest.mark.django_db
def test_check_in_goes_through_the_outbox_once_a_day(lapsing, alice, bob, client):
    client.force_login(alice)
    with time_machine.travel(NOW, tick=False):
        first = client.post(f"/insights/clients/{lapsing.pk}/check-in", {"next": "/"})
        again = client.post(
            f"/insights/clients/{lapsing.pk}/check-in", {"next": "https://evil.example/"}
        )
    assert first.status_code == 302 and first["Location"] == "/"
    assert again["Location"] == "/insights/"
    rows = list(Notification.objects.filter(trainer=alice, kind="check_in"))
    assert [(r.channel, r.client_id, r.status) for r in rows] == [("email", lapsing.pk, "pending")]
    assert "23 days" in rows[0].context["why"]
    # Bob cannot send to alice's client: 404.
    client.force_login(bob)
    assert client.post(f"/insights/clients/{lapsing.pk}/check-in").status_code == 404


@pytest.mark.django_db
def test_check_in_renders(lapsing, alice):
    from trainerhub.notifications.messages import render

    with time_machine.travel(NOW, tick=False):
        from trainerhub.insights.services import check_in_send

        (row,) = check_in_send(trainer=alice, client_pk=lapsing.pk)
    out = render(row)
    assert out.to == "lena@example.com" and "Lena" in out.subject
    assert "/book/alice/" in out.text and "Monday 23 February" in out.text


@pytest.mark.django_db
def test_check_in_refused_without_an_address(alice, client):
    nobody = make_client(alice, "Nora", email="")
    client.force_login(alice)
    response = client.post(f"/insights/clients/{nobody.pk}/check-in", follow=True)
    assert "has no email address or reachable phone" in response.content.decode()
    assert not Notification.objects.filter(kind="check_in").exists()


@pytest.mark.django_db
def test_dashboard_card_and_client_list_filter(lapsing, alice, client):
    regular = make_client(alice, "Rita")
    with time_machine.travel(NOW, tick=False):
        make_booking(regular, at(alice, "2026-03-16", "10:00"), status="completed")
        client.force_login(alice)
        dashboard = client.get("/").content.decode()
        risky = client.get("/clients/?risk=at_risk").content.decode()
        everyone = client.get("/clients/").content.decode()
        from conftest import api_client_for

        api = api_client_for(alice)
        listed = api.get("/api/v1/clients/?risk=any").json()
        bad = api.get("/api/v1/clients/?risk=soon")
    assert (
        'id="at-risk"' in dashboard and "Lena Long" in dashboard and "Send a check-in" in dashboard
    )
    assert "Lena Long" in risky and "Rita" not in risky
    assert "Rita" in everyone and 'id="client-risk"' in everyone
    assert [c["id"] for c in listed["results"]] == [lapsing.pk]
    assert bad.status_code == 400 and bad.json() == {
        "risk": ["Choose one of the risk levels offered."]
    }
