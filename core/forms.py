"""Showing a service's rules on the form that called it."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

T = TypeVar("T")


def add_service_errors(
    form: forms.Form, error: ValidationError, *, rename: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: on its field if the form has one
    (`rename` maps a service's field name to the form's), otherwise above the form."""
    rename = rename or {}
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            field = rename.get(field, field)
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def save_through_service(form: forms.Form, save: Callable[[], T]) -> T | None:
    """Run the service; a rule it enforces becomes a form error and the result is None."""
    try:
        return save()
    except ValidationError as error:
        add_service_errors(form, error)
        return None
