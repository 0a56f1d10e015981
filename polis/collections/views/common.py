"""Shared by the collection pages: refusals shown on forms or as messages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest


def apply_errors(form: Form, error: ValidationError) -> None:
    """Show an action's refusal on the field it names, or on the form as a whole."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def flash_refusal(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))
