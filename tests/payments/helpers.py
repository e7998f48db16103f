"""Builders for the payments tests: a collecting account, a dossier waiting for its fee (status 6),
signed notifications of each provider exactly as they arrive over HTTP."""

import hashlib
import hmac
import json
import time
from datetime import datetime

import time_machine

from motcua.payments.models import CollectingAccount
from motcua.payments.services import charge_request
from tests.dossiers.test_services import act, at, receive

BIN, ACCOUNT = "970436", "0011001234567"
SECRETS = {
    "generic": "bi-mat-chung-thu-nghiem",
    "sepay": "bi-mat-sepay-thu-nghiem",
    "casso": "bi-mat-casso-thu-nghiem",
    "payos": "test_checksum_key",
}


def collecting_account(**overrides) -> CollectingAccount:
    values = {
        "bank_bin": BIN,
        "bank_name": "Vietcombank",
        "account_number": ACCOUNT,
        "account_name": "SO TU PHAP HA TINH",
        "is_default": True,
    }
    values.update(overrides)
    return CollectingAccount.objects.create(**values)


def dossier_in_progress(desk, when="2024-04-26T16:00"):
    dossier = receive(desk, when=when)
    act(desk["head"], dossier, "assign", "2024-05-02T09:00", assignee_id=desk["specialist"].pk)
    dossier.refresh_from_db()
    return dossier


def dossier_awaiting_payment(desk, when="2024-05-03T09:00"):
    """A received dossier, assigned, then asked for its fee: status 6 with an open charge."""
    dossier = dossier_in_progress(desk)
    dossier.refresh_from_db()
    with time_machine.travel(at(when), tick=False):
        charge = charge_request(desk["specialist"], dossier.pk, expected_revision=dossier.revision)
    dossier.refresh_from_db()
    return dossier, charge


def generic_request(body: dict, *, secret=SECRETS["generic"], timestamp=None):
    """(raw body, headers) of a generic notification signed as the sender would sign it."""
    raw = json.dumps(body, ensure_ascii=False).encode()
    ts = str(int(timestamp if timestamp is not None else time.time()))
    signature = hmac.new(secret.encode(), ts.encode() + b"." + raw, hashlib.sha256).hexdigest()
    return raw, {"X-Motcua-Timestamp": ts, "X-Motcua-Signature": "sha256=" + signature}


def credit_body(charge, *, txn="FT24124000001", amount=None, description=None):
    return {
        "id": txn,
        "amount": charge.amount if amount is None else amount,
        "booked_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "description": description
        if description is not None
        else f"NGUYEN THI HUONG chuyen tien {charge.reference.lower()} FT24124",
        "account_number": charge.account.account_number,
        "bank_reference": txn,
    }


def post(client, provider, raw, headers):
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    return client.post(
        f"/thanh-toan/webhook/{provider}/", data=raw, content_type="application/json", **extra
    )
