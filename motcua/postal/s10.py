"""Consignment numbers of the UPU S10 standard (used by Vietnam Post / VNPost and every designated
operator): 2 letters (service), 8 digits (serial), 1 check digit, 2 letters (ISO country code),
e.g. "EE123456785VN".

The check digit: weights 8, 6, 4, 2, 3, 5, 9, 7 over the 8 serial digits; 11 minus the sum modulo
11; 10 becomes 0 and 11 becomes 5 (UPU S10 standard, §5.3).
"""

import re

from django.core.exceptions import ValidationError

WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
PATTERN = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$")


def s10_check_digit(serial: str) -> int:
    """The check digit of an 8-digit serial number."""
    if len(serial) != 8 or not serial.isdigit():
        raise ValueError("serial must be 8 digits")
    remainder = 11 - sum(int(d) * w for d, w in zip(serial, WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(remainder, remainder)


def s10_number(service: str, serial: int, country: str = "VN") -> str:
    """A valid number from its parts: s10_number("EE", 12345678) -> "EE123456785VN"."""
    digits = f"{serial:08d}"
    return f"{service}{digits}{s10_check_digit(digits)}{country}"


def s10_validate(value: str) -> str:
    """The number in canonical form (upper case, no spaces), or ValidationError saying what is wrong."""
    number = "".join((value or "").split()).upper()
    match = PATTERN.match(number)
    if not match:
        raise ValidationError(
            "Số hiệu bưu gửi gồm 2 chữ cái, 9 chữ số và 2 chữ cái (ví dụ EE123456785VN).",
            code="s10_format",
        )
    _, serial, check, _ = match.groups()
    if s10_check_digit(serial) != int(check):
        raise ValidationError(
            f"Số hiệu bưu gửi {number} sai chữ số kiểm tra (chữ số thứ 11 phải là "
            f"{s10_check_digit(serial)}).",
            code="s10_check_digit",
        )
    return number
