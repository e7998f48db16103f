"""Payment references: short, derived from the dossier code, with check digits, found again in
whatever a bank makes of the narrative."""

from datetime import date

import pytest

from motcua.payments.references import is_valid, references_for, references_in

CODE = "000.00.40.H27-240426-0001"


def test_reference_is_short_ascii_and_derived_from_the_code():
    short, long = references_for(CODE)
    assert short.startswith("HS2404260001") and len(short) == 14 and short.isalnum()
    assert long.startswith("HS0000040" + "2404260001") and len(long) <= 25
    assert is_valid(short[2:]) and is_valid(long[2:])
    assert references_for("000.00.40.H27-240426-0002")[0] != short


@pytest.mark.parametrize(
    "narrative",
    [
        "{ref}",
        "{lower}",
        "NGUYEN THI HUONG chuyen tien {ref} FT24124",
        "MBVCB.4525077405.{ref}.CT tu 0351000646393 toi 0011001234567",
        "hs 240426 0001 {cc}",
        "HS-2404-2600-01{cc}",
        "IBFT{ref}0351000646393",  # glued to other letters and digits
    ],
)
def test_found_in_what_banks_make_of_the_narrative(narrative):
    short = references_for(CODE)[0]
    text = narrative.format(ref=short, lower=short.lower(), cc=short[-2:])
    assert references_in(text) == ({short}, False)


def test_every_single_digit_error_and_neighbour_swap_is_caught():
    short = references_for(CODE)[0]
    digits = short[2:]
    for i, d in enumerate(digits):
        for other in "0123456789":
            if other != d:
                assert not is_valid(digits[:i] + other + digits[i + 1 :])
    for i in range(len(digits) - 1):
        swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
        if swapped != digits:
            assert not is_valid(swapped)


def test_damaged_and_absent_references():
    short = references_for(CODE)[0]
    damaged = short[:-1] + ("0" if short[-1] != "0" else "1")
    assert references_in(f"nop phi {damaged}") == (set(), True)
    assert references_in("chuyen tien hoc phi") == (set(), False)


def test_a_reference_before_any_code_is_valid_and_never_one_of_a_code():
    """An online dossier owing its fee at submission has no code yet: its reference comes from its
    id with "0000" where a code's year and month stand, so no code's reference can equal it."""
    from hypothesis import given
    from hypothesis import strategies as st

    from motcua.payments.references import references_before_code

    [reference] = references_before_code(42)
    assert reference == "HS00000000000000042" + reference[-2:] and is_valid(reference[2:])
    assert references_in(f"chuyen khoan {reference.lower()} le phi") == ({reference}, False)

    @given(
        st.integers(min_value=1, max_value=10**13 - 1),
        st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
        st.integers(min_value=1, max_value=9999),
    )
    def never_a_code_reference(dossier_id, day, number):
        code = f"000.00.40.H27-{day:%y%m%d}-{number:04d}"
        assert not set(references_before_code(dossier_id)) & set(references_for(code))

    never_a_code_reference()
