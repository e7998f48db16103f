"""Incoming-credit notifications, one adapter per provider (docs/payments.md, reference §5).

An adapter checks the signature on the RAW body with the provider's secret (from the environment),
checks the timestamp against a window (a stale or future notification is refused: a replay), and
turns the body into `CreditData`. Nothing is stored before all of that passed. The same transaction
delivered again is stored once (services.credit_receive is idempotent on the provider's id).

  generic  X-Motcua-Timestamp: <unix s>, X-Motcua-Signature: sha256=<hex HMAC-SHA256(secret, "<ts>.<body>")>
           body {"id", "amount", "booked_at" (ISO 8601), "description", "account_number",
                 "bank_reference"?, "counterparty_name"?, "counterparty_account"?}
  sepay    X-SePay-Timestamp, X-SePay-Signature: sha256=<hex HMAC-SHA256(secret, "<ts>.<body>")>;
           SePay's transaction JSON (id, transactionDate, accountNumber, content, transferType,
           transferAmount, referenceCode)
  casso    X-Casso-Signature: t=<unix ms>,v1=<hex HMAC-SHA512(key, "<t>." + body as JSON with keys
           sorted recursively, compact)>; Casso v2 {"error":0,"data":{...}}
  payos    no header: "signature" in the body = hex HMAC-SHA256(key, "k1=v1&k2=v2…" over `data`,
           keys sorted, null → ""); payOS sends no timestamp, so replays are stopped by the
           transaction id alone
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from motcua.core.signed_requests import SignatureProblem, signature_problem

from .models import CreditSource
from .services import MAX_CREDIT_AMOUNT, CreditData, NonCreditData

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_BODY_BYTES = 64 * 1024


class WebhookError(Exception):
    """A refused notification: a stable code for the provider's logs, a Vietnamese message, the
    HTTP status to answer with."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


@dataclass(frozen=True)
class Parsed:
    credits: list[
        CreditData
    ]  # incoming credits only (outgoing transfers are acknowledged, ignored)
    ack: dict  # what the provider expects back on success
    non_credits: tuple[NonCreditData, ...] = ()  # reported, signed, but no money came in


def _secret(provider: str) -> bytes:
    secret = settings.PAYMENTS_WEBHOOK_SECRETS.get(provider, "")
    if not secret:
        raise WebhookError(
            "not_configured", "Nguồn thông báo này chưa được cấu hình khóa bí mật.", 503
        )
    return secret.encode()


def _no_constant(name: str):
    raise ValueError(name)  # NaN, Infinity: not JSON, though Python's reader accepts them


def _json(raw: bytes):
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise WebhookError("bad_json", "Nội dung không phải JSON UTF-8 hợp lệ.") from None


def _check_window(timestamp_seconds: float, now_seconds: float) -> None:
    skew = settings.PAYMENTS_WEBHOOK_MAX_SKEW_SECONDS
    if abs(now_seconds - timestamp_seconds) > skew:
        raise WebhookError(
            "stale", f"Thời điểm ký lệch quá {skew} giây: thông báo cũ hoặc bị phát lại.", 401
        )


def _timestamp(value: str | None, *, divisor: int = 1) -> float:
    try:
        return int(value) / divisor
    except (TypeError, ValueError):
        raise WebhookError("bad_timestamp", "Thiếu hoặc sai thời điểm ký.", 401) from None


def _same(expected: str, given: str | None) -> None:
    if not given or not hmac.compare_digest(expected, given.strip().lower()):
        raise WebhookError("bad_signature", "Chữ ký không hợp lệ.", 401)


_SIGNATURE_ERRORS = {
    SignatureProblem.BAD_TIMESTAMP: ("bad_timestamp", "Thiếu hoặc sai thời điểm ký."),
    SignatureProblem.BAD_SIGNATURE: ("bad_signature", "Chữ ký không hợp lệ."),
}


def _check_our_scheme(secret: bytes, headers, prefix: str, raw: bytes, now_seconds: float) -> None:
    """The generic adapter and SePay sign as our own webhooks do (motcua.core.signed_requests)."""
    skew = settings.PAYMENTS_WEBHOOK_MAX_SKEW_SECONDS
    given = headers.get(f"{prefix}-Signature")
    problem = signature_problem(
        secret,
        headers.get(f"{prefix}-Timestamp"),
        raw,
        given.strip().lower() if given else None,
        window_seconds=skew,
        now_seconds=now_seconds,
    )
    if problem is SignatureProblem.STALE:
        raise WebhookError(
            "stale", f"Thời điểm ký lệch quá {skew} giây: thông báo cũ hoặc bị phát lại.", 401
        )
    if problem:
        raise WebhookError(*_SIGNATURE_ERRORS[problem], 401)


def _hmac(secret: bytes, message: bytes, digest=hashlib.sha256) -> str:
    return hmac.new(secret, message, digest).hexdigest()


MSG_AMOUNT = "{where}: số tiền phải là số nguyên đồng từ 1 đến {limit} đồng."


def _signed_amount(value, *, where: str) -> int:
    """An integral number of đồng, any sign (Casso reports outgoing transfers as negative), within
    what a bank transfer can be: a float like 1e20 or 1e400, a fraction, text or a bool is refused
    with a 400 before anything is stored (a number beyond the column used to reach the database)."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_CREDIT_AMOUNT:
        raise WebhookError("bad_amount", _amount_message(where))
    return value


def _amount(value, *, where: str) -> int:
    """An incoming credit's amount: 1 … MAX_CREDIT_AMOUNT đồng."""
    amount = _signed_amount(value, where=where)
    if amount <= 0:
        raise WebhookError("bad_amount", _amount_message(where))
    return amount


def _amount_message(where: str) -> str:
    return MSG_AMOUNT.format(where=where, limit=f"{MAX_CREDIT_AMOUNT:,}".replace(",", "."))


def _local_time(text, *, where: str) -> datetime:
    """'2023-03-25 14:02:37' (the providers' local time, GMT+7) or ISO 8601 with an offset."""
    try:
        value = datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise WebhookError("bad_time", f"{where}: thời điểm giao dịch không hợp lệ.") from None
    if not 2000 <= value.year <= 2100:  # year 1 or 9999 would overflow on the way to UTC
        raise WebhookError("bad_time", f"{where}: thời điểm giao dịch không hợp lệ.")
    return value if value.tzinfo else value.replace(tzinfo=HCM)


def _text(value) -> str:
    return "" if value is None else str(value)


# --- adapters ---------------------------------------------------------------------------------------


def generic(headers, raw: bytes, now_seconds: float) -> Parsed:
    _check_our_scheme(_secret("generic"), headers, "X-Motcua", raw, now_seconds)
    body = _json(raw)
    if not isinstance(body, dict) or not body.get("id"):
        raise WebhookError("bad_body", "Thiếu mã giao dịch (id).")
    credit = CreditData(
        provider="generic",
        provider_txn_id=_text(body["id"])[:100],
        amount=_amount(body.get("amount"), where="amount"),
        booked_at=_local_time(body.get("booked_at"), where="booked_at"),
        narrative=_text(body.get("description")),
        account_number=_text(body.get("account_number")),
        bank_reference=_text(body.get("bank_reference")),
        counterparty_name=_text(body.get("counterparty_name")),
        counterparty_account=_text(body.get("counterparty_account")),
        raw_payload=raw.decode("utf-8"),
        source=CreditSource.WEBHOOK,
    )
    return Parsed([credit], {"ok": True})


def sepay(headers, raw: bytes, now_seconds: float) -> Parsed:
    _check_our_scheme(_secret("sepay"), headers, "X-SePay", raw, now_seconds)
    body = _json(raw)
    if not isinstance(body, dict) or body.get("id") in (None, ""):
        raise WebhookError("bad_body", "Thiếu mã giao dịch SePay (id).")
    if body.get("transferType") != "in":
        return Parsed([], {"success": True})
    narrative = " ".join(filter(None, (_text(body.get("content")), _text(body.get("code")))))
    credit = CreditData(
        provider="sepay",
        provider_txn_id=_text(body["id"]),
        amount=_amount(body.get("transferAmount"), where="transferAmount"),
        booked_at=_local_time(body.get("transactionDate"), where="transactionDate"),
        narrative=narrative,
        account_number=_text(body.get("accountNumber")),
        bank_reference=_text(body.get("referenceCode")),
        raw_payload=raw.decode("utf-8"),
    )
    return Parsed([credit], {"success": True})


def _sorted_json(value) -> object:
    if isinstance(value, dict):
        return {k: _sorted_json(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_json(v) for v in value]
    return value


def casso_signature(secret: bytes, timestamp: str, body, *, ensure_ascii: bool) -> str:
    canonical = json.dumps(
        _sorted_json(body), separators=(",", ":"), ensure_ascii=ensure_ascii
    ).encode()
    return _hmac(secret, timestamp.encode() + b"." + canonical, hashlib.sha512)


def casso(headers, raw: bytes, now_seconds: float) -> Parsed:
    secret = _secret("casso")
    header = headers.get("X-Casso-Signature") or ""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    ts = parts.get("t")
    _check_window(_timestamp(ts, divisor=1000), now_seconds)
    body = _json(raw)
    given = (parts.get("v1") or "").lower()
    # PHP signers escape non-ASCII, JavaScript signers do not: either form is the same body.
    if not any(
        hmac.compare_digest(casso_signature(secret, ts, body, ensure_ascii=flag), given)
        for flag in (False, True)
    ):
        raise WebhookError("bad_signature", "Chữ ký không hợp lệ.", 401)
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict) or data.get("id") in (None, ""):
        raise WebhookError("bad_body", "Thiếu dữ liệu giao dịch Casso (data.id).")
    amount = _signed_amount(data.get("amount"), where="data.amount")
    if amount < 0:  # Casso reports an outgoing transfer with a negative amount: acknowledged
        return Parsed([], {"success": True})
    if amount == 0:
        raise WebhookError("bad_amount", _amount_message("data.amount"))
    credit = CreditData(
        provider="casso",
        provider_txn_id=_text(data["id"]),
        amount=amount,
        booked_at=_local_time(data.get("transactionDateTime"), where="data.transactionDateTime"),
        narrative=_text(data.get("description")),
        account_number=_text(data.get("accountNumber")),
        bank_reference=_text(data.get("reference")),
        counterparty_name=_text(data.get("counterAccountName")),
        counterparty_account=_text(data.get("counterAccountNumber")),
        raw_payload=raw.decode("utf-8"),
    )
    return Parsed([credit], {"success": True})


def payos_signature(secret: bytes, data: dict) -> str:
    def text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (list, dict)):
            return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        return str(value)

    message = "&".join(f"{key}={text(data[key])}" for key in sorted(data))
    return _hmac(secret, message.encode())


PAYOS_ACK = {"error": 0, "message": "Ok", "success": True}  # payOS wants a 2xx; its docs show
# {"success": true}, its own demo answers {"error": 0, "message": "Ok"}: both are given.


def _payos_succeeded(body: dict, data: dict) -> bool:
    """payOS reports a payment's result in `data.code` (signed; "00" is success) and repeats it in
    the unsigned envelope (`code`, `success`). Money is counted only when every one says success."""
    return (
        _text(data.get("code")) == "00"
        and _text(body.get("code", "00")) == "00"
        and body.get("success", True) is not False
    )


def payos(headers, raw: bytes, now_seconds: float) -> Parsed:
    secret = _secret("payos")
    body = _json(raw)
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise WebhookError("bad_body", "Thiếu dữ liệu giao dịch payOS (data).")
    _same(payos_signature(secret, data), _text(body.get("signature")))
    txn = data.get("reference") or f"{data.get('paymentLinkId', '')}:{data.get('orderCode', '')}"
    if not _payos_succeeded(body, data):
        amount = _signed_amount(data.get("amount"), where="data.amount")
        if amount < 0:
            raise WebhookError("bad_amount", _amount_message("data.amount"))
        failed = NonCreditData(
            provider="payos",
            provider_txn_id=_text(txn)[:100],
            amount=amount,
            narrative=_text(data.get("description")),
            account_number=_text(data.get("accountNumber")),
            bank_reference=_text(data.get("reference")),
            raw_payload=raw.decode("utf-8"),
            reason=f"payOS báo giao dịch không thành công (mã {_text(data.get('code'))[:10]}: "
            f"{_text(data.get('desc'))[:200]}).",
        )
        return Parsed([], PAYOS_ACK, (failed,))
    credit = CreditData(
        provider="payos",
        provider_txn_id=_text(txn)[:100],
        amount=_amount(data.get("amount"), where="data.amount"),
        booked_at=_local_time(data.get("transactionDateTime"), where="data.transactionDateTime"),
        narrative=_text(data.get("description")),
        account_number=_text(data.get("accountNumber")),
        bank_reference=_text(data.get("reference")),
        counterparty_name=_text(data.get("counterAccountName")),
        counterparty_account=_text(data.get("counterAccountNumber")),
        raw_payload=raw.decode("utf-8"),
    )
    return Parsed([credit], PAYOS_ACK)


ADAPTERS = {"generic": generic, "sepay": sepay, "casso": casso, "payos": payos}


def webhook_parse(provider: str, headers, raw: bytes, now_seconds: float) -> Parsed:
    adapter = ADAPTERS.get(provider)
    if adapter is None:
        raise WebhookError("unknown_provider", "Không có nguồn thông báo này.", 404)
    if len(raw) > MAX_BODY_BYTES:
        raise WebhookError("too_large", "Nội dung quá lớn.", 413)
    return adapter(headers, raw, now_seconds)
