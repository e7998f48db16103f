"""Form pieces for people typing on a phone: the keypad each field opens and dates as Vietnamese
people write them (dd/mm/yyyy). Every citizen form and the staff intake forms use these, so a
phone number never opens the letter keyboard and a date never depends on the browser's locale.

A browser's own date input shows mm/dd/yyyy or yyyy-mm-dd depending on the phone's language and
is hard to use for a birth date decades back; a text field with dd/mm/yyyy is what people write on
paper and what the official forms print."""

import contextlib
import datetime
import re

from django import forms
from django.core.exceptions import ValidationError

DATE_PLACEHOLDER = "dd/mm/yyyy"
DATE_DISPLAY_FORMAT = "%d/%m/%Y"
INVALID_DATE = "Ngày không hợp lệ: hãy viết dạng dd/mm/yyyy, ví dụ 25/12/1990."
NO_SUCH_DATE = "Ngày không hợp lệ: tháng {month} năm {year} không có ngày {day}."

# d/m/yyyy with "/", "." or "-" between the parts (what people type and what a scan of a
# paper form holds), and the ISO form a browser's date input or an API client sends.
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class PhoneInput(forms.TextInput):
    """A phone number: the phone keypad, and the browser may fill in the person's own number."""

    input_type = "tel"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "tel", "autocomplete": "tel", **(attrs or {})})


class IdNumberInput(forms.TextInput):
    """An identity number (CCCD / personal ID, 12 digits) or a tax code: the numeric keypad, and no
    autofill (a desk officer types many people's numbers; a browser must not offer the last one)."""

    def __init__(self, attrs=None):
        super().__init__(
            {"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off", **(attrs or {})}
        )


class OneTimeCodeInput(forms.TextInput):
    """A code sent by SMS or e-mail: the numeric keypad, and the phone offers the code it received."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "one-time-code", **(attrs or {})})


class DayMonthYearInput(forms.DateInput):
    """A plain text input that shows a date as dd/mm/yyyy (never type="date")."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": DATE_PLACEHOLDER, **(attrs or {})}, format=DATE_DISPLAY_FORMAT
        )

    def format_value(self, value):
        # A draft kept as JSON holds the ISO text ("1990-09-05"): shown as dd/mm/yyyy too; text
        # the person typed that is not a date comes back as typed, to be corrected.
        if isinstance(value, str) and _ISO.match(value.strip()):
            with contextlib.suppress(ValidationError):
                value = parse_day_month_year(value)
        return super().format_value(value)


def parse_day_month_year(text: str) -> datetime.date:
    """'25/12/1990', '5/1/2024', '05.01.2024' or '2024-01-05' → a date; anything else raises
    ValidationError with a Vietnamese message that says what is wrong."""
    typed = " ".join(text.split())
    if match := _DAY_FIRST.match(typed):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.match(typed):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValidationError(INVALID_DATE, code="invalid")
    if not 1 <= month <= 12 or year < 1:
        raise ValidationError(INVALID_DATE, code="invalid")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(
            NO_SUCH_DATE.format(day=day, month=month, year=year), code="no_such_date"
        ) from None


class DayMonthYearField(forms.DateField):
    """A date typed as dd/mm/yyyy (also d/m/yyyy and the browser's ISO yyyy-mm-dd), shown back as
    dd/mm/yyyy; a wrong date gets a Vietnamese message."""

    widget = DayMonthYearInput
    default_error_messages = {"invalid": INVALID_DATE}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Viết dạng dd/mm/yyyy, ví dụ 25/12/1990.")
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_day_month_year(str(value))
        except ValidationError as exc:
            if exc.code == "invalid":  # a form may word its own "write it like this" message
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
            raise
