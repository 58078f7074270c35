"""The one spelling of an email address that sign-in, the lockout and account storage use.

Every sign-in path (trainer and client, page and API) hands its address to `canonical_email`
before `authenticate()`, and django-axes reads its username through `axes_username`, so
"Alice@Example.COM", " alice@example.com" and the same with a fullwidth domain are one
account with one failure count.

What is normalised, and why not more:
- NFKC first: compatibility forms (fullwidth letters, ligatures, the ideographic space) become
  the characters they stand for, so they cannot open a second lockout bucket.
- Surrounding whitespace is dropped (after NFKC, which turns exotic spaces into plain ones).
- `lower()`, not `casefold()`, of the whole address: the database's uniqueness rule is
  `Lower("email")` and the login lookup is `email__iexact`; casefold would merge addresses the
  database keeps apart ("ß" and "ss"), letting one person's failures lock another out, and
  the key would no longer name the row that the lookup finds.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings


def canonical_email(email: str | None) -> str:
    return unicodedata.normalize("NFKC", email or "").strip().lower()


def axes_username(request: Any, credentials: dict[str, Any] | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the address a failure, a lock check or a reset is counted under.

    Axes calls this with the credentials given to `authenticate()`, with the request alone
    (the middleware) or with `{"email": user.get_username()}` after a success; all three are
    canonicalised so they name one counter."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        raw = credentials.get(field)
    else:
        raw = getattr(request, "data", request.POST).get(field)
    # No address at all stays None, as axes has it without this callable.
    return canonical_email(raw) if isinstance(raw, str) else None
