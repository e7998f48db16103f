"""Tracking events pushed by a postal operator (protocol in docs/postal.md).

POST /buu-chinh/webhook/<operator>/ with the JSON body
  {"event_id", "consignment_number", "kind", "at", "place", "note", "signed_by", "proof_url"}
and the headers
  X-Postal-Timestamp: <unix seconds>
  X-Postal-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the operator's secret>
A request outside the timestamp window, with a wrong signature, or seen before (same signature) is
refused; a new request carrying an event already recorded answers "duplicate" and changes nothing.
"""

import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from motcua.core.clock import now
from motcua.core.signed_requests import SignatureProblem, signature_problem

from .models import EventSource, WebhookDelivery
from .services import EventData, consignment_by_number, tracking_event_record

MAX_BODY = 64 * 1024


@dataclass(frozen=True)
class WebhookAnswer:
    status: int
    body: dict


def _error(status: int, code: str, message: str, **extra) -> WebhookAnswer:
    return WebhookAnswer(status, {"error": {"code": code, "message": message, **extra}})


def webhook_receive(operator: str, body: bytes, timestamp: str, signature: str) -> WebhookAnswer:
    """Check the request, then record its event; every refusal is a structured error and leaves
    the database as it was."""
    if operator not in settings.POSTAL_OPERATORS:
        return _error(404, "unknown_operator", "Doanh nghiệp bưu chính không có trong danh sách.")
    secret = settings.POSTAL_WEBHOOK_SECRETS.get(operator, "")
    if not secret:
        return _error(503, "not_configured", "Chưa cấu hình khóa bí mật cho webhook này.")
    if len(body) > MAX_BODY:
        return _error(413, "too_large", "Nội dung quá lớn.")
    problem = _authenticity_problem(secret, body, timestamp, signature)
    if problem:
        return problem
    try:
        payload = json.loads(body.decode("utf-8"))
        if not isinstance(payload, dict):
            raise ValueError
    except (UnicodeDecodeError, ValueError):
        return _error(400, "malformed", "Nội dung không phải một đối tượng JSON.")
    try:
        with transaction.atomic():
            WebhookDelivery.objects.create(
                operator=operator, signature=signature[-64:], received_at=now()
            )
            consignment = consignment_by_number(
                operator, str(payload.get("consignment_number", ""))
            )
            event, created = tracking_event_record(
                None, consignment.pk, _event_data(payload), source=EventSource.WEBHOOK
            )
    except IntegrityError:
        return _error(409, "replayed", "Yêu cầu này đã được nhận trước đây (phát lại).")
    except ValidationError as exc:
        if _has_code(exc, "unknown_consignment"):
            return _error(404, "unknown_consignment", _text(exc), fields=_fields(exc))
        return _error(422, "invalid_event", _text(exc), fields=_fields(exc))
    return WebhookAnswer(
        200 if not created else 201,
        {"status": "recorded" if created else "duplicate", "event_id": event.operator_event_id},
    )


_SIGNATURE_ERRORS = {
    SignatureProblem.BAD_TIMESTAMP: ("bad_timestamp", "Thiếu hoặc sai tiêu đề X-Postal-Timestamp."),
    SignatureProblem.STALE: ("stale_timestamp", "Yêu cầu quá cũ hoặc đồng hồ lệch quá nhiều."),
    SignatureProblem.BAD_SIGNATURE: ("bad_signature", "Chữ ký không hợp lệ."),
}


def _authenticity_problem(secret, body, timestamp, signature) -> WebhookAnswer | None:
    problem = signature_problem(
        secret, timestamp, body, signature, window_seconds=settings.POSTAL_WEBHOOK_WINDOW_SECONDS
    )
    return _error(401, *_SIGNATURE_ERRORS[problem]) if problem else None


def _event_data(payload: dict) -> EventData:
    try:
        at = datetime.fromisoformat(str(payload.get("at", "")))
    except ValueError:
        at = None
    return EventData(
        operator_event_id=str(payload.get("event_id", "")),
        kind=str(payload.get("kind", "")),
        at=at,
        place=str(payload.get("place", "") or ""),
        note=str(payload.get("note", "") or ""),
        signed_by=str(payload.get("signed_by", "") or ""),
        proof_url=str(payload.get("proof_url", "") or ""),
    )


def _has_code(exc: ValidationError, code: str) -> bool:
    if hasattr(exc, "error_dict"):
        return any(e.code == code for errors in exc.error_dict.values() for e in errors)
    return any(e.code == code for e in exc.error_list)


def _fields(exc: ValidationError) -> dict:
    return {k: v for k, v in exc.message_dict.items()} if hasattr(exc, "error_dict") else {}


def _text(exc: ValidationError) -> str:
    return " ".join(exc.messages)
