import pytest

from trainerhub.accounts.services import trainer_register
from trainerhub.notifications.models import Kind, Notification


@pytest.mark.django_db
def test_registering_a_trainer_queues_one_welcome_email():
    user = trainer_register(
        email="new@example.com",
        password="a-long-and-unusual-password",
        name="New Trainer",
        timezone="Europe/Paris",
    )
    rows = Notification.objects.filter(trainer=user, kind=Kind.WELCOME)
    assert rows.count() == 1
    assert rows.get().channel == "email"


@pytest.mark.django_db
def test_a_refused_registration_queues_nothing():
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do
        trainer_register(email="bad", password="x", name="", timezone="Mars/Base")
    assert not Notification.objects.filter(kind=Kind.WELCOME).exists()
