"""The one translation of a domain error into a page's form: messages next to their fields.

Every page that calls a service catches `DomainError` (or `InvalidInput`) and hands it here,
so a service's refusal reads the same wherever the form is.
"""

from __future__ import annotations

from django import forms

from trainerhub.core.errors import DomainError, InvalidInput


def _target(form: forms.BaseForm, field: str | None) -> str | None:
    # A hidden field's message would be invisible: it goes to the top of the form.
    if field and field in form.fields and not form.fields[field].widget.is_hidden:
        return field
    return None


def domain_errors_to_form(
    form: forms.BaseForm, exc: DomainError, *, refusal_field: str | None = None
) -> None:
    """Put a service's refusal on the form.

    InvalidInput: each message under its field (the form's top when the form has no such
    visible field). Any other refusal (a conflict, a move not allowed) names no field of
    its own: it goes under `refusal_field` when given (e.g. a taken slot under "start"),
    else at the top. The form must have been validated (`is_valid()`) first.
    """
    if isinstance(exc, InvalidInput):
        for field, messages in exc.errors.items():
            target = _target(form, field)
            for message in messages if isinstance(messages, list | tuple) else [messages]:
                form.add_error(target, str(message))
        return
    form.add_error(_target(form, exc.field or refusal_field), exc.detail)
