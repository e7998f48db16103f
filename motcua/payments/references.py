"""The payment reference a payer writes in a transfer, and finding it again in a bank narrative.

A reference is `HS` + the dossier code's day (YYMMDD) and number (NNNN) + two check digits
(ISO 7064 MOD 97-10, as in IBAN): `000.00.40.H27-240426-0001` → `HS240426000134`. Where two
receiving units gave the same day and number, the unit's own digits are added to keep it unique
(`HS` + 7 unit digits + YYMMDD + NNNN + 2 check digits, still ≤ 25). Only letters and digits, so it
survives bank apps that drop spaces and punctuation, glue it to other words or change its case; the
check digits catch any single mistyped digit and any swap of two neighbours.
"""

import re

PREFIX = "HS"
SHORT_BODY = 10  # YYMMDD NNNN
LONG_BODY = 17  # 7 unit digits + YYMMDD NNNN
_DOSSIER_CODE = re.compile(r"^(?P<unit>[0-9A-Z.]+)-(?P<day>\d{6})-(?P<number>\d{4,})$")
_CANDIDATE = re.compile(PREFIX + r"(\d{12,})")


def check_digits(body: str) -> str:
    """ISO 7064 MOD 97-10 over a string of digits: two digits such that int(body + cc) % 97 == 1."""
    return f"{98 - int(body) * 100 % 97:02d}"


def is_valid(digits: str) -> bool:
    return digits.isdigit() and len(digits) > 2 and int(digits) % 97 == 1


def references_for(dossier_code: str) -> list[str]:
    """The short reference of a dossier code, then the long one (used when the short is taken)."""
    match = _DOSSIER_CODE.match(dossier_code or "")
    if match is None:
        # Codes from an older system keep whatever shape they had: use their digits.
        digits = re.sub(r"\D", "", dossier_code or "")[-LONG_BODY:] or "0"
        return [PREFIX + digits + check_digits(digits)]
    body = match["day"] + match["number"][-4:]
    unit_digits = re.sub(r"\D", "", match["unit"])[:7].rjust(7, "0")
    long_body = unit_digits + body
    return [PREFIX + body + check_digits(body), PREFIX + long_body + check_digits(long_body)]


def references_before_code(dossier_id: int) -> list[str]:
    """The reference of an online dossier whose fee falls due before the desk gives it a code (a fee
    due at submission): the long shape (17 digits + 2 check digits) with "0000" where a code's
    year and month stand — no dossier code has month 00, so it never meets a reference derived
    from a code — and the dossier's id, 13 digits, around it. It stays the charge's reference
    after the desk accepts the dossier: the payer may already have used it."""
    digits = f"{dossier_id:013d}"[-13:]
    body = digits[:7] + "0000" + digits[7:]
    return [PREFIX + body + check_digits(body)]


def normalise(text: str) -> str:
    """A narrative as the matcher reads it: upper case, letters and digits only."""
    return re.sub(r"[^0-9A-Z]", "", (text or "").upper())


def references_in(narrative: str) -> tuple[set[str], bool]:
    """The valid references found anywhere in a narrative, and whether something that looked like
    one had wrong check digits. Banks glue other digits on, so every length a reference can have
    is tried from each `HS` followed by digits."""
    found: set[str] = set()
    damaged = False
    for run in _CANDIDATE.findall(normalise(narrative)):
        hits = [
            run[:n] for n in (SHORT_BODY + 2, LONG_BODY + 2) if len(run) >= n and is_valid(run[:n])
        ]
        if hits:
            found.update(PREFIX + hit for hit in hits)
        else:
            damaged = True
    return found, damaged
