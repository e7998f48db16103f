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
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from motcua.core.signed_requests import SignatureProblem, signature_problem

from .models import CreditSource
from .services import CreditData

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


def _secret(provider: str) -> bytes:
    secret = settings.PAYMENTS_WEBHOOK_SECRETS.get(provider, "")
    if not secret:
        raise WebhookError(
            "not_configured", "Nguồn thông báo này chưa được cấu hình khóa bí mật.", 503
        )
    return secret.encode()


def _json(raw: bytes):
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
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


def _amount(value, *, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
        raise WebhookError("bad_amount", f"{where}: số tiền phải là số nguyên đồng.")
    return int(value)


def _local_time(text, *, where: str) -> datetime:
    """'2023-03-25 14:02:37' (the providers' local time, GMT+7) or ISO 8601 with an offset."""
    try:
        value = datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise WebhookError("bad_time", f"{where}: thời điểm giao dịch không hợp lệ.") from None
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
    return Parsed([credit] if credit.amount > 0 else [], {"ok": True})


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
    amount = _amount(data.get("amount"), where="data.amount")
    if amount <= 0:  # an outgoing transfer
        return Parsed([], {"success": True})
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


def payos(headers, raw: bytes, now_seconds: float) -> Parsed:
    secret = _secret("payos")
    body = _json(raw)
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise WebhookError("bad_body", "Thiếu dữ liệu giao dịch payOS (data).")
    _same(payos_signature(secret, data), _text(body.get("signature")))
    txn = data.get("reference") or f"{data.get('paymentLinkId', '')}:{data.get('orderCode', '')}"
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
    return Parsed([credit] if credit.amount > 0 else [], {"error": 0, "message": "Ok"})


ADAPTERS = {"generic": generic, "sepay": sepay, "casso": casso, "payos": payos}


def webhook_parse(provider: str, headers, raw: bytes, now_seconds: float) -> Parsed:
    adapter = ADAPTERS.get(provider)
    if adapter is None:
        raise WebhookError("unknown_provider", "Không có nguồn thông báo này.", 404)
    if len(raw) > MAX_BODY_BYTES:
        raise WebhookError("too_large", "Nội dung quá lớn.", 413)
    return adapter(headers, raw, now_seconds)
