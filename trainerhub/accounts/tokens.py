"""API tokens (simplejwt, rotating refresh tokens with the blacklist) that stop working when
they should, not up to 15 minutes later.

Every sign-in starts a token *family* (accounts.TokenFamily): its id is the `fam` claim of
the refresh token, of every refresh token rotated from it and of every access token any of
them issued. A request's access token is accepted only while its family is live, so:

- signing out (POST /auth/logout) revokes the family: its access tokens stop at once;
- a password change or reset (and deactivating an account) revokes every family of the user;
- presenting an old refresh token again (one already rotated away, so someone else may hold
  its successor) revokes the whole family: the thief's and the owner's newer tokens alike,
  and the owner signs in again.

A token without a `fam` claim (issued before families existed) is accepted until it expires,
as before.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken, Token

from trainerhub.accounts.models import TokenFamily, User

FAMILY_CLAIM = "fam"
REVOKED = "This sign-in has ended (signed out, password changed or token reused). Sign in again."


def issue_pair(user: User) -> dict[str, str]:
    """A new sign-in's access and refresh tokens, in a new family."""
    refresh = RefreshToken.for_user(user)
    family = str(refresh[api_settings.JTI_CLAIM])
    TokenFamily.objects.create(id=family, user=user)
    refresh[FAMILY_CLAIM] = family
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def family_of(token: Token | dict[str, Any]) -> str | None:
    value = token.get(FAMILY_CLAIM)
    return str(value) if value else None


def family_is_live(family: str) -> bool:
    return TokenFamily.objects.filter(pk=family, revoked_at__isnull=True).exists()


@transaction.atomic
def revoke_family(family: str, *, because: str) -> None:
    """The family's access tokens stop now; its refresh tokens are blacklisted."""
    TokenFamily.objects.filter(pk=family, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_because=because
    )
    # The outstanding rows do not record the family: find the tokens by their claim.
    for outstanding in OutstandingToken.objects.filter(
        user__token_families__pk=family, blacklistedtoken__isnull=True
    ).only("pk", "token"):
        if _claim_of(outstanding.token) == family:
            BlacklistedToken.objects.get_or_create(token=outstanding)


@transaction.atomic
def revoke_user_families(user: User, *, because: str) -> int:
    """Every sign-in of this account ends now (a password change or reset, deactivation)."""
    return TokenFamily.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_because=because
    )


def revoke_by_refresh(raw: str, *, because: str) -> None:
    """Sign-out: blacklist this refresh token and end its family. TokenError when the token
    is not a valid, unexpired, not yet blacklisted refresh token."""
    refresh = RefreshToken(raw)  # type: ignore[arg-type]
    family = family_of(refresh)
    refresh.blacklist()
    if family:
        revoke_family(family, because=because)


def _claim_of(raw: str) -> str | None:
    try:
        payload = RefreshToken(raw, verify=False).payload  # type: ignore[arg-type]
    except TokenError:
        return None
    return family_of(payload)


def _reused(raw: str) -> str | None:
    """The family of a genuine, unexpired refresh token that was already rotated away (or
    signed out), else None."""
    try:
        token = RefreshToken(raw, verify=False)  # type: ignore[arg-type]
        payload = token.get_token_backend().decode(raw, verify=True)  # type: ignore[arg-type]
    except Exception:
        return None
    if payload.get(api_settings.TOKEN_TYPE_CLAIM) != RefreshToken.token_type:
        return None
    jti = payload.get(api_settings.JTI_CLAIM)
    if not BlacklistedToken.objects.filter(token__jti=jti).exists():
        return None
    return family_of(payload)


class FamilyTokenRefreshSerializer(TokenRefreshSerializer):
    """simplejwt's rotating refresh, refusing a revoked family and revoking the family of a
    reused (already rotated) refresh token."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        raw = attrs["refresh"]
        try:
            family = family_of(RefreshToken(raw))
        except TokenError:
            reused = _reused(raw)
            if reused:
                revoke_family(reused, because="reuse")
            raise
        if family and not family_is_live(family):
            raise InvalidToken(REVOKED)
        return super().validate(attrs)


class FamilyJWTAuthentication(JWTAuthentication):
    """simplejwt's bearer authentication, refusing an access token whose family is revoked."""

    def get_validated_token(self, raw_token: bytes) -> Token:
        token = super().get_validated_token(raw_token)
        family = family_of(token)
        if family and not family_is_live(family):
            raise InvalidToken({"detail": REVOKED, "code": "token_revoked"})
        return token


class FamilyJWTScheme(SimpleJWTScheme):
    """The OpenAPI document names it as simplejwt's bearer scheme ("jwtAuth")."""

    target_class = "trainerhub.accounts.tokens.FamilyJWTAuthentication"
