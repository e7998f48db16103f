from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motcua.core.identity import citizen_id_masked, citizen_id_validate


def test_a_valid_number_is_returned_without_spaces():
    assert citizen_id_validate("042 190 001 234") == "042190001234"
    # 0 = male born in the 1900s, year 90 -> 1990.
    assert citizen_id_validate("042090001234", date_of_birth=date(1990, 5, 1), gender="male")
    # 3 = female born in the 2000s, year 05 -> 2005.
    assert citizen_id_validate("042305001234", date_of_birth=date(2005, 1, 9), gender="female")


@pytest.mark.parametrize(
    "number, kwargs, code",
    [
        ("04219000123", {}, "citizen_id_format"),  # 11 digits
        ("0421900012345", {}, "citizen_id_format"),  # 13 digits
        ("04219000123A", {}, "citizen_id_format"),
        ("", {}, "citizen_id_format"),
        ("003190001234", {}, "citizen_id_province"),  # 003 is no province code
        ("097190001234", {}, "citizen_id_province"),
        ("042090001234", {"date_of_birth": date(1991, 5, 1)}, "citizen_id_birth_year"),
        ("042290001234", {"date_of_birth": date(1990, 5, 1)}, "citizen_id_birth_year"),  # 2 = 2000s
        ("042090001234", {"gender": "female"}, "citizen_id_gender"),
    ],
)
def test_invalid_numbers_say_why(number, kwargs, code):
    with pytest.raises(ValidationError) as error:
        citizen_id_validate(number, **kwargs)
    assert error.value.code == code
    assert error.value.messages[0][0].isupper()  # a sentence in Vietnamese, not a code


def test_masking_keeps_only_the_ends():
    assert citizen_id_masked("042190001234") == "042******234"
