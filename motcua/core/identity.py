"""Validation of the 12-digit personal identification number (số định danh cá nhân / CCCD).

Structure (Circular 07/2016/TT-BCA, art. 7): 3 digits = province of birth registration (the
statistical province codes of 2004–2025, 001–096), 1 digit = gender and century of birth
(0/1 = male/female born 1900–1999, 2/3 = 2000–2099, 4/5 = 2100–2199, …), 2 digits = the last two
digits of the year of birth, 6 random digits.
"""

from datetime import date

from django.core.exceptions import ValidationError

PROVINCE_OF_BIRTH_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 "
    "037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 "
    "077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)
CENTURY_START = {0: 1900, 1: 2000, 2: 2100, 3: 2200, 4: 2300}


def citizen_id_validate(
    number: str, *, date_of_birth: date | None = None, gender: str | None = None
) -> str:
    """Return the number stripped of spaces, or raise ValidationError saying what is wrong.

    `gender` is "male" / "female" when known; with `date_of_birth` it must agree with digits 4–6.
    """
    value = "".join(number.split())
    if len(value) != 12 or not value.isdigit():
        raise ValidationError(
            "Số định danh cá nhân phải gồm đúng 12 chữ số.", code="citizen_id_format"
        )
    if value[:3] not in PROVINCE_OF_BIRTH_CODES:
        raise ValidationError(
            f"Ba chữ số đầu ({value[:3]}) không phải mã tỉnh nơi đăng ký khai sinh.",
            code="citizen_id_province",
        )
    gender_century = int(value[3])
    birth_year = CENTURY_START[gender_century // 2] + int(value[4:6])
    if date_of_birth and date_of_birth.year != birth_year:
        raise ValidationError(
            f"Số định danh cho năm sinh {birth_year}, không khớp với ngày sinh {date_of_birth:%d/%m/%Y}.",
            code="citizen_id_birth_year",
        )
    if gender and gender != ("male" if gender_century % 2 == 0 else "female"):
        raise ValidationError(
            "Số định danh không khớp với giới tính đã khai.", code="citizen_id_gender"
        )
    return value


def citizen_id_masked(number: str) -> str:
    """'042190001234' -> '042******234': what lists and logs show."""
    return (
        number[:3] + "*" * (len(number) - 6) + number[-3:] if len(number) > 6 else "*" * len(number)
    )


def name_masked(name: str) -> str:
    """'Nguyễn Thị Hương' -> 'N*** T*** H***': enough for the applicant to recognise, no more."""
    return " ".join(word[0] + "***" for word in name.split())


def birth_date_masked(day) -> str:
    """A birth date in lists: the year only, '**/**/1985' (the whole date is personal data)."""
    return f"**/**/{day.year}"
