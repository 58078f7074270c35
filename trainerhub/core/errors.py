"""Domain errors: raised by services, turned into 400/409 answers by the API and into
messages next to fields by the pages."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the request."""

    status = 400

    def __init__(self, detail: str, *, code: str = "invalid", field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code
        self.field = field


class InvalidInput(DomainError):
    """Bad input: answered as 400 with the message under its field."""

    status = 400

    def __init__(self, errors: dict[str, list[str]] | str, *, code: str = "invalid") -> None:
        if isinstance(errors, str):
            errors = {"non_field_errors": [errors]}
        self.errors = errors
        first = next(iter(errors.values()))[0]
        super().__init__(first, code=code, field=next(iter(errors)))


class Conflict(DomainError):
    """The request is well formed but the state of the world refuses it (a taken slot...).

    `extra` adds facts the caller can act on to the 409 answer (e.g. the existing client's id
    of a `duplicate_email`)."""

    status = 409

    def __init__(
        self,
        detail: str,
        *,
        code: str = "invalid",
        field: str | None = None,
        extra: dict[str, object] | None = None,
    ) -> None:
        super().__init__(detail, code=code, field=field)
        self.extra = extra or {}


class NotAllowed(DomainError):
    """A move the domain's state machine does not allow (e.g. completing a future session)."""

    status = 409
