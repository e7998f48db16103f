"""Dates typed as Vietnamese people write them, and the keypad each kind of field opens."""

from datetime import date

import pytest
from django import forms

from motcua.core.form_fields import (
    DayMonthYearField,
    IdNumberInput,
    OneTimeCodeInput,
    PhoneInput,
)


class BirthForm(forms.Form):
    born = DayMonthYearField(label="Ngày sinh")
    optional = DayMonthYearField(label="Ngày khác", required=False)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("25/12/1990", date(1990, 12, 25)),
        ("5/1/2024", date(2024, 1, 5)),
        ("05/01/2024", date(2024, 1, 5)),
        (" 5.1.2024 ", date(2024, 1, 5)),
        ("05-01-2024", date(2024, 1, 5)),
        ("2024-01-05", date(2024, 1, 5)),  # what a browser's date input or an API client sends
        ("29/02/2024", date(2024, 2, 29)),
    ],
)
def test_accepted_forms_of_a_date(typed, expected):
    form = BirthForm({"born": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["born"] == expected


@pytest.mark.parametrize(
    "typed, message",
    [
        ("31/02/2024", "Ngày không hợp lệ: tháng 2 năm 2024 không có ngày 31."),
        ("29/02/2023", "Ngày không hợp lệ: tháng 2 năm 2023 không có ngày 29."),
        ("12/25/1990", "Ngày không hợp lệ: hãy viết dạng dd/mm/yyyy, ví dụ 25/12/1990."),
        ("hôm qua", "Ngày không hợp lệ: hãy viết dạng dd/mm/yyyy, ví dụ 25/12/1990."),
        ("25/12/90", "Ngày không hợp lệ: hãy viết dạng dd/mm/yyyy, ví dụ 25/12/1990."),
        ("2024-13-01", "Ngày không hợp lệ: hãy viết dạng dd/mm/yyyy, ví dụ 25/12/1990."),
    ],
)
def test_a_wrong_date_gets_a_vietnamese_message(typed, message):
    form = BirthForm({"born": typed})
    assert not form.is_valid()
    assert form.errors["born"] == [message]


def test_a_form_may_word_its_own_format_message_but_not_the_calendar_one():
    form = BirthForm({"born": "x"})
    form.fields["born"].error_messages["invalid"] = "Ngày sinh viết dạng 25/12/1990."
    assert not form.is_valid() and form.errors["born"] == ["Ngày sinh viết dạng 25/12/1990."]


def test_shown_back_as_dd_mm_yyyy_in_a_text_input_with_a_placeholder():
    html = str(BirthForm(initial={"born": date(2024, 1, 5)})["born"])
    assert 'type="text"' in html and 'value="05/01/2024"' in html
    assert 'placeholder="dd/mm/yyyy"' in html
    # A draft kept as JSON holds ISO text: shown as dd/mm/yyyy all the same.
    assert 'value="05/09/1990"' in str(BirthForm(initial={"born": "1990-09-05"})["born"])
    # What the person typed comes back as typed when it is wrong, to be corrected.
    assert 'value="31/02/2024"' in str(BirthForm({"born": "31/02/2024"})["born"])
    assert BirthForm({"born": "25/12/1990", "optional": ""}).is_valid()


def test_keypads():
    phone = PhoneInput().render("phone", "")
    assert 'type="tel"' in phone and 'inputmode="tel"' in phone and 'autocomplete="tel"' in phone
    id_number = IdNumberInput().render("citizen_id", "")
    assert 'inputmode="numeric"' in id_number and 'pattern="[0-9]*"' in id_number
    assert 'autocomplete="off"' in id_number
    code = OneTimeCodeInput().render("code", "")
    assert 'inputmode="numeric"' in code and 'autocomplete="one-time-code"' in code
    # A field may add or override attributes without losing the rest.
    tax = IdNumberInput(attrs={"pattern": "[0-9-]*"}).render("tax_code", "")
    assert 'pattern="[0-9-]*"' in tax and 'inputmode="numeric"' in tax
