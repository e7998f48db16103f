"""What every reform service shares: the calendar's year range, the common messages, an error
collector raised all at once, and the checks and look-ups of the values forms send."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from motcua.org.models import Unit

FIRST_YEAR, LAST_YEAR = 2000, 2060  # the working calendar's range
MSG_REQUIRED = "Thông tin này là bắt buộc."
MSG_DATE = "Ngày phải nằm trong khoảng 01/01/2000 – 31/12/2060."
MSG_CHOICE = "Lựa chọn không hợp lệ."
MSG_UNIT = "Không tìm thấy đơn vị đã chọn."


class Errors(dict):
    """Field → messages, raised all at once so the user sees every problem in one go."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def check_date(errors: Errors, field: str, value) -> None:
    if value is None:
        errors.add(field, MSG_REQUIRED)
    elif not isinstance(value, date) or not (FIRST_YEAR <= value.year <= LAST_YEAR):
        errors.add(field, MSG_DATE)


def check_text(errors: Errors, field: str, value, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        errors.add(field, MSG_REQUIRED)
    elif len(value) > max_length:
        errors.add(field, f"Không được dài quá {max_length} ký tự.")
    return value


def resolve_unit(errors: Errors, field: str, unit) -> Unit | None:
    if unit is None or unit == "":
        errors.add(field, MSG_REQUIRED)
        return None
    if isinstance(unit, Unit):
        return unit
    found = Unit.objects.filter(pk=unit).first() if str(unit).isdigit() else None
    if found is None:
        errors.add(field, MSG_UNIT)
    return found


def check_actor(actor, check) -> None:
    if actor is not None:
        check(actor)


def resolve_by_pk(errors: Errors, field: str, model, value, missing: str):
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    found = model.objects.filter(pk=value).first() if str(value).isdigit() else None
    if found is None:
        errors.add(field, missing)
    return found


def locked_or_refused(queryset_or_model, pk, missing: str):
    """The row, locked for the rest of the transaction (two officers saving at once wait for each
    other), or a ValidationError with `missing` when there is none."""
    queryset = getattr(queryset_or_model, "objects", queryset_or_model)
    found = queryset.select_for_update().filter(pk=pk).first()
    if found is None:
        raise ValidationError(missing)
    return found
