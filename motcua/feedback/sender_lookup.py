"""How the sender of a feedback item finds it again without an account: its receipt number
(PAKN-YYYY-NNNN, typed in any case, with or without spaces) together with the last 4 digits of the
phone — or the e-mail address — they gave. Never the number alone: numbers are sequential, so the
number alone would open every item in turn."""

import hmac
import re

from .models import Feedback

PROOF_DIGITS = 4
_NUMBER_RE = re.compile(r"^PAKN-?(\d{4})-?(\d{4,6})$")
_DASHES = str.maketrans({"–": "-", "—": "-", "_": "-", ".": "-", "/": "-"})


def receipt_number_parse(text: str) -> str | None:
    """'pakn 2026 0001', 'PAKN-2026-0001 ', 'Pakn20260001' → 'PAKN-2026-0001'; None when it is
    no receipt number."""
    compact = "".join((text or "").split()).upper().translate(_DASHES)
    match = _NUMBER_RE.match(compact)
    if match is None:
        return None
    return f"PAKN-{match.group(1)}-{match.group(2)}"


def proof_shape_valid(proof: str) -> bool:
    """4 digits, or something that looks like an e-mail address."""
    value = "".join((proof or "").split())
    return (len(value) == PROOF_DIGITS and value.isdigit()) or ("@" in value and len(value) <= 150)


def _proof_matches(contact: str, proof: str) -> bool:
    contact = "".join((contact or "").split())
    value = "".join((proof or "").split())
    if "@" in contact:
        return hmac.compare_digest(contact.lower().encode(), value.lower().encode())
    digits = "".join(ch for ch in contact if ch.isdigit())
    return len(digits) >= PROOF_DIGITS and hmac.compare_digest(
        digits[-PROOF_DIGITS:].encode(), value.encode()
    )


def feedback_for_sender(code: str, proof: str) -> Feedback | None:
    """The item with this receipt number when `proof` matches the contact its sender gave; None
    alike for an unknown number and for wrong digits (which one it was is never told)."""
    number = receipt_number_parse(code)
    if number is None or not proof_shape_valid(proof):
        return None
    item = Feedback.objects.filter(code=number).first()
    if item is None or not _proof_matches(item.sender_contact, proof):
        return None
    return item


def feedback_unlocked(code: str) -> Feedback | None:
    """The item a session already opened with its proof (the view checks the session)."""
    return Feedback.objects.filter(code=code).prefetch_related("attachments__stored_file").first()
