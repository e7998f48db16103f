"""UPU S10 consignment numbers: the check digit and what the desk is told when a number is wrong."""

import pytest
from django.core.exceptions import ValidationError

from motcua.postal.s10 import s10_check_digit, s10_number, s10_validate


@pytest.mark.parametrize(
    "serial, check",
    [
        ("47312482", 9),  # the UPU S10 standard's own example: RR473124829GB
        ("12345678", 5),
        ("00000000", 5),  # remainder 0 -> 11 -> 5
        ("00000001", 4),
    ],
)
def test_check_digit(serial, check):
    assert s10_check_digit(serial) == check


def test_numbers_made_here_validate():
    for serial in (0, 1, 12345678, 99999999, 47312482):
        number = s10_number("EE", serial)
        assert s10_validate(number.lower()) == number


@pytest.mark.parametrize(
    "value, code",
    [
        ("EE123456784VN", "s10_check_digit"),
        ("EE12345678VN", "s10_format"),
        ("E1123456785VN", "s10_format"),
        ("", "s10_format"),
    ],
)
def test_bad_numbers_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as error:
        s10_validate(value)
    assert error.value.code == code
    assert "bưu gửi" in error.value.messages[0]


def test_spaces_and_case_are_forgiven():
    assert s10_validate(" ee 123456785 vn ") == "EE123456785VN"
