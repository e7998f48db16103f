"""The bank-notification services' own formats and signatures (reference §5), each verified on the
raw body, each stored once, each forged copy refused with nothing stored."""

import hashlib
import hmac
import json
import time

import pytest
from django.utils import timezone

from motcua.payments.models import Credit
from motcua.payments.webhooks import casso_signature, payos_signature
from tests.payments.helpers import SECRETS, dossier_awaiting_payment, post

# payOS SDK test vector (payOSHQ/payos-lib-python tests/_crypto/testCases.json, case "webhook").
PAYOS_DATA = {
    "accountNumber": "0123456789",
    "amount": 20000,
    "description": "thanh toan",
    "reference": "FT-REFERENCE",
    "transactionDateTime": "2025-12-12 09:00:00",
    "virtualAccountNumber": "",
    "counterAccountBankId": "01202001",
    "counterAccountBankName": "",
    "counterAccountName": "NGUYEN VAN A",
    "counterAccountNumber": "9876543210",
    "virtualAccountName": "",
    "currency": "VND",
    "orderCode": 0,
    "paymentLinkId": "payment-link-id",
    "code": "00",
    "desc": "success",
}
PAYOS_SIGNATURE = "302b3becca1672dff99daafae2965f40e48ea3ca39453e4bf37fbcc26807a0e8"


def test_payos_signature_matches_the_published_vector():
    assert payos_signature(b"test_checksum_key", PAYOS_DATA) == PAYOS_SIGNATURE


def test_payos_webhook_stored_once_and_forgery_refused(db, client):
    body = {
        "code": "00",
        "desc": "success",
        "success": True,
        "data": PAYOS_DATA,
        "signature": PAYOS_SIGNATURE,
    }
    raw = json.dumps(body).encode()
    forged = raw.replace(b"20000", b"90000")
    assert post(client, "payos", forged, {}).status_code == 401
    assert Credit.objects.count() == 0
    response = post(client, "payos", raw, {})
    assert response.status_code == 200 and response.json()["error"] == 0
    assert post(client, "payos", raw, {}).json()["duplicate"] is True
    credit = Credit.objects.get()
    assert (credit.provider, credit.provider_txn_id, credit.amount) == (
        "payos",
        "FT-REFERENCE",
        20000,
    )


def _sepay(charge, secret=SECRETS["sepay"], ts=None, transfer_type="in"):
    body = {
        "id": 92704,
        "gateway": "Vietcombank",
        "transactionDate": "2024-05-03 14:02:37",
        "accountNumber": charge.account.account_number,
        "subAccount": None,
        "code": None,
        "content": f"{charge.reference} chuyen tien",
        "transferType": transfer_type,
        "transferAmount": charge.amount,
        "accumulated": 19077000,
        "referenceCode": "MBVCB.3278907687",
        "description": "",
    }
    raw = json.dumps(body).encode()
    ts = str(int(ts or time.time()))
    sig = hmac.new(secret.encode(), ts.encode() + b"." + raw, hashlib.sha256).hexdigest()
    return raw, {"X-SePay-Timestamp": ts, "X-SePay-Signature": "sha256=" + sig}


def test_sepay_credit_matches_and_moves_the_dossier(desk, account, client):
    dossier, charge = dossier_awaiting_payment(desk)
    raw, headers = _sepay(charge)
    response = post(client, "sepay", raw, headers)
    assert response.status_code == 200 and response.json()["success"] is True
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"
    credit = Credit.objects.get()
    assert credit.provider_txn_id == "92704" and credit.bank_reference == "MBVCB.3278907687"
    assert timezone.localtime(credit.booked_at).isoformat() == "2024-05-03T14:02:37+07:00"


@pytest.mark.parametrize("problem", ["forged", "stale", "outgoing"])
def test_sepay_refusals_store_nothing(desk, account, client, problem):
    _, charge = dossier_awaiting_payment(desk)
    raw, headers = _sepay(
        charge,
        secret="sai" if problem == "forged" else SECRETS["sepay"],
        ts=time.time() - 3600 if problem == "stale" else None,
        transfer_type="out" if problem == "outgoing" else "in",
    )
    response = post(client, "sepay", raw, headers)
    assert response.status_code == (200 if problem == "outgoing" else 401)
    assert Credit.objects.count() == 0


def _casso(charge, *, secret=SECRETS["casso"], description=None, ensure_ascii=False, ts=None):
    body = {
        "error": 0,
        "data": {
            "id": 123456,
            "reference": "FT24124ABCDE",
            "description": description or f"NGUYEN VAN A chuyển tiền {charge.reference}",
            "amount": charge.amount,
            "runningBalance": 25000000,
            "transactionDateTime": "2024-05-03 15:06:37",
            "accountNumber": charge.account.account_number,
            "bankName": "Vietcombank",
            "bankAbbreviation": "VCB",
            "virtualAccountNumber": "",
            "virtualAccountName": "",
            "counterAccountName": "NGUYEN VAN A",
            "counterAccountNumber": "0351000646393",
            "counterAccountBankId": "970415",
            "counterAccountBankName": "VietinBank",
        },
    }
    raw = json.dumps(body, ensure_ascii=ensure_ascii).encode()  # as the sender's JSON writer did
    t = str(int((ts or time.time()) * 1000))
    v1 = casso_signature(secret.encode(), t, body, ensure_ascii=ensure_ascii)
    return raw, {"X-Casso-Signature": f"t={t},v1={v1}"}


@pytest.mark.parametrize("ensure_ascii", [False, True], ids=["JS signer", "PHP signer"])
def test_casso_v2_signed_either_way_is_accepted(desk, account, client, ensure_ascii):
    dossier, charge = dossier_awaiting_payment(desk)
    raw, headers = _casso(charge, ensure_ascii=ensure_ascii)
    response = post(client, "casso", raw, headers)
    assert response.status_code == 200, response.content
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"
    assert Credit.objects.get().counterparty_name == "NGUYEN VAN A"


def test_casso_forged_or_stale_refused(desk, account, client):
    _, charge = dossier_awaiting_payment(desk)
    raw, headers = _casso(charge, secret="sai")
    assert post(client, "casso", raw, headers).status_code == 401
    raw, headers = _casso(charge, ts=time.time() - 3600)
    assert post(client, "casso", raw, headers).json()["error"]["code"] == "stale"
    assert Credit.objects.count() == 0


def test_a_provider_without_a_secret_is_not_accepted(db, client, settings):
    settings.PAYMENTS_WEBHOOK_SECRETS = {**SECRETS, "sepay": ""}
    response = post(client, "sepay", b"{}", {"X-SePay-Timestamp": str(int(time.time()))})
    assert response.status_code == 503 and response.json()["error"]["code"] == "not_configured"
