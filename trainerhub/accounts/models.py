"""Trainer accounts (and, with role=client, the logins of clients on the portal)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone as dj_timezone

from trainerhub.core.currencies import CURRENCY_CHOICES

color_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #3b82f6.")


def brand_image_path(instance: User, filename: str) -> str:
    # A random name: the uploaded one is never trusted for paths.
    import secrets

    return f"brand/{instance.pk}/{secrets.token_hex(16)}"


slug_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{1,48}[a-z0-9])$",
    "Use 3 to 50 lowercase letters, digits and hyphens, "
    "starting and ending with a letter or digit.",
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        # Email is the login and is unique whatever its case.
        return self.get(email__iexact=username)

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).strip(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        TRAINER = "trainer", "Trainer"
        CLIENT = "client", "Client"

    email = models.EmailField("email address", max_length=254)
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.TRAINER)
    business_name = models.CharField(max_length=150, blank=True)
    slug = models.CharField(
        "public URL slug",
        max_length=50,
        unique=True,
        null=True,
        blank=True,
        validators=[slug_validator],
        help_text="Your public booking page lives at /book/<slug>/.",
    )
    timezone = models.CharField(max_length=64, default="UTC")
    # ISO 3166 code; phone numbers without a country code are read in it. Blank means the
    # country of `timezone` (trainerhub.clients.validation.phone_region_for).
    country = models.CharField(max_length=2, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    bio = models.TextField(max_length=2000, blank=True)
    # The trainer's brand on the public pages and in emails to clients. Images are typed by
    # their bytes when uploaded, and that type is kept to serve them with.
    accent_color = models.CharField(
        "accent colour", max_length=7, blank=True, validators=[color_validator]
    )
    logo = models.FileField(upload_to=brand_image_path, max_length=255, blank=True)
    logo_type = models.CharField(max_length=100, blank=True)
    photo = models.FileField(upload_to=brand_image_path, max_length=255, blank=True)
    photo_type = models.CharField(max_length=100, blank=True)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="EUR")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    # A demo practice (seed_demo): its clients are made up, so its messages are logged as
    # "not sent: demo account" and never handed to a channel, even once SMTP is configured.
    is_demo = models.BooleanField("demo account", default=False)
    date_joined = models.DateTimeField(default=dj_timezone.now)
    # When the trainer followed the signed link mailed to `email` (accounts/verification.py);
    # until then, with EMAIL_VERIFICATION=required, their public booking page stays off.
    email_verified_at = models.DateTimeField("email verified at", null=True, blank=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def is_trainer(self) -> bool:
        return self.role == self.Role.TRAINER

    @property
    def email_verification_pending(self) -> bool:
        """A trainer who still has to verify their address before the page goes public."""
        from trainerhub.accounts.verification import is_pending

        return is_pending(self)

    @property
    def display_name(self) -> str:
        return self.business_name or self.name


class TokenFamily(models.Model):
    """One API sign-in: the refresh token it issued and every token rotated from it share
    this id (the `fam` claim, copied into each access token). Revoking the family (sign-out,
    a password change or reset, a reused old refresh token) stops its access tokens at once
    rather than when they expire (trainerhub/accounts/tokens.py)."""

    id = models.CharField(primary_key=True, max_length=64)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="token_families")
    created_at = models.DateTimeField(default=dj_timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Why it was revoked: "logout", "password", "reuse", "deactivated".
    revoked_because = models.CharField(max_length=20, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"], name="tokenfamily_user_live")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.id}"
