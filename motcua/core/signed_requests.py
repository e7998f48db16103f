"""The signature of webhooks that speak our own protocol — the generic bank-notification adapter,
SePay's (the same scheme) and the postal operators': a header `sha256=<hex>` holding the
HMAC-SHA256 of "<unix seconds>.<raw body>", with the seconds in a header of their own and checked
against a window so that an old request cannot be replayed. One implementation, so the scheme
cannot drift between the apps that receive it; each app words its own errors.
"""

import hashlib
import hmac
import time
from enum import Enum


class SignatureProblem(Enum):
    BAD_TIMESTAMP = "bad_timestamp"
    STALE = "stale"
    BAD_SIGNATURE = "bad_signature"


def request_signature(secret: str | bytes, timestamp: str, body: bytes) -> str:
    """What the sender puts in its signature header."""
    key = secret.encode() if isinstance(secret, str) else secret
    return "sha256=" + hmac.new(key, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def signature_problem(
    secret: str | bytes,
    timestamp: str | None,
    body: bytes,
    signature: str | None,
    *,
    window_seconds: int,
    now_seconds: float | None = None,
) -> SignatureProblem | None:
    """None when the request is authentic and fresh, else what is wrong with it. The raw body is
    what was signed: parse it only after this says None."""
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return SignatureProblem.BAD_TIMESTAMP
    at = time.time() if now_seconds is None else now_seconds
    if abs(at - sent_at) > window_seconds:
        return SignatureProblem.STALE
    expected = request_signature(secret, str(timestamp), body).encode()
    # Bytes, so that a header with characters outside ASCII is refused rather than raising.
    given = (signature or "").encode("utf-8", "surrogateescape")
    if not given or not hmac.compare_digest(expected, given):
        return SignatureProblem.BAD_SIGNATURE
    return None
