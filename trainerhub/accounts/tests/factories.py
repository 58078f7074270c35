from __future__ import annotations

import factory
from django.utils import timezone as dj_timezone

from trainerhub.accounts.models import User

PASSWORD = "correct-horse-battery-staple"


class TrainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"trainer{n}@example.com")
    name = factory.Faker("name")
    business_name = factory.LazyAttribute(lambda o: f"{o.name} Coaching")
    slug = factory.Sequence(lambda n: f"trainer-{n}")
    timezone = "Europe/London"
    role = User.Role.TRAINER
    # Verified by default: a test about the unverified state says so (email_verified_at=None).
    email_verified_at = factory.LazyFunction(dj_timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
