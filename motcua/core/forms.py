"""Form pieces every app's pages share (the back office, the portal and the pages domain apps carry
for themselves): showing a service's ValidationError on the form that called it."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(
    form: forms.Form, exc: ValidationError, field_map: dict | None = None
) -> None:
    """Put a service's ValidationError on the form: per field when it names one, else on top."""
    field_map = field_map or {}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            name = field_map.get(field, field)
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def form_saved(request, form: forms.Form, call, *, success: str) -> bool:
    """A page's POST through its service: `call(form.cleaned_data)` for a valid form, the
    service's errors put back on the form, `success` as the page's message. True when saved."""
    from django.contrib import messages

    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, success)
    return True
