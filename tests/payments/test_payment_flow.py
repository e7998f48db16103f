"""The whole way of a fee: dossier → QR → signed webhook → matched → the dossier moves on → receipt
PDF; the same webhook replayed stores nothing new; a forged signature is refused, nothing stored."""

import shutil
import subprocess
import time

import pytest

from motcua.dossiers.models import DossierEvent
from motcua.payments.models import Charge, Credit, MatchDecision, Receipt
from motcua.payments.selectors import charge_payload
from motcua.payments.vietqr import parse
from tests.payments.helpers import (
    ACCOUNT,
    BIN,
    credit_body,
    dossier_awaiting_payment,
    generic_request,
    post,
)

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


def _nothing_stored():
    return (Credit.objects.count(), MatchDecision.objects.count(), Receipt.objects.count())


@needs_poppler
def test_qr_webhook_match_dossier_moves_on_receipt(desk, account, client, tmp_path):
    dossier, charge = dossier_awaiting_payment(desk)
    assert dossier.status == "awaiting_payment" and dossier.national_status == 6
    assert charge.amount == 200000 and charge.reference.startswith("HS")

    fields = parse(charge_payload(charge))
    assert (fields.bin, fields.account, fields.amount) == (BIN, ACCOUNT, 200000)
    assert fields.purpose == charge.reference and fields.dynamic

    raw, headers = generic_request(credit_body(charge))
    response = post(client, "generic", raw, headers)
    assert response.status_code == 200, response.content
    assert response.json() == {"ok": True, "duplicate": False}

    charge.refresh_from_db()
    dossier.refresh_from_db()
    assert charge.status == "paid" and charge.received_total == 200000
    assert charge.settled_channel == "online"
    assert dossier.status == "in_progress" and dossier.due_at is not None
    moved = DossierEvent.objects.get(dossier=dossier, action="payment_settled")
    assert moved.actor is None and moved.from_status == "awaiting_payment"
    decision = MatchDecision.objects.get()
    assert decision.outcome == "paid" and decision.charge == charge and decision.actor is None
    assert Credit.objects.get().raw_payload == raw.decode()

    receipt = Receipt.objects.get()
    client.force_login(desk["specialist"])
    pdf = client.get(f"/can-bo/thanh-toan/bien-lai/{receipt.pk}/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "bien-lai.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
        receipt.number,
        "200.000 đồng",
        "Hai trăm nghìn đồng",
        dossier.code,
        "042******234",
        ACCOUNT,
        "Cấp Phiếu lý lịch tư pháp",
    ):
        assert expected in text, expected
    assert "042190001234" not in text


def test_the_same_webhook_replayed_makes_no_second_payment(desk, account, client):
    dossier, charge = dossier_awaiting_payment(desk)
    raw, headers = generic_request(credit_body(charge))
    assert post(client, "generic", raw, headers).json()["duplicate"] is False
    before = _nothing_stored()

    again = post(client, "generic", raw, headers)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    # Re-signed now (a provider retrying later) — still the same transaction.
    raw2, headers2 = generic_request(credit_body(charge))
    assert post(client, "generic", raw2, headers2).json()["duplicate"] is True
    assert _nothing_stored() == before == (1, 1, 1)
    charge.refresh_from_db()
    assert charge.received_total == 200000 and charge.status == "paid"


def test_a_stale_timestamp_is_refused_as_a_replay(desk, account, client):
    _, charge = dossier_awaiting_payment(desk)
    raw, headers = generic_request(credit_body(charge), timestamp=time.time() - 3600)
    response = post(client, "generic", raw, headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "stale"
    assert _nothing_stored() == (0, 0, 0)


@pytest.mark.parametrize(
    "tamper",
    ["wrong secret", "body changed", "signature missing", "timestamp changed"],
)
def test_a_forged_webhook_is_refused_and_nothing_stored(desk, account, client, tamper):
    dossier, charge = dossier_awaiting_payment(desk)
    body = credit_body(charge)
    raw, headers = generic_request(
        body, secret="khong-phai-bi-mat" if tamper == "wrong secret" else "bi-mat-chung-thu-nghiem"
    )
    if tamper == "body changed":
        raw = raw.replace(b"200000", b"2000000")
    elif tamper == "signature missing":
        del headers["X-Motcua-Signature"]
    elif tamper == "timestamp changed":
        headers["X-Motcua-Timestamp"] = str(int(headers["X-Motcua-Timestamp"]) - 1)
    response = post(client, "generic", raw, headers)
    assert response.status_code == 401
    assert response.json() == {
        "ok": False,
        "error": {"code": "bad_signature", "message": "Chữ ký không hợp lệ."},
    }
    assert _nothing_stored() == (0, 0, 0)
    charge.refresh_from_db()
    dossier.refresh_from_db()
    assert charge.status == "open" and dossier.status == "awaiting_payment"


def test_webhook_errors_are_structured(db, client):
    assert post(client, "khong-co", b"{}", {}).status_code == 404
    raw, headers = generic_request({"id": "x"})
    bad = post(client, "generic", b"not json", {**headers})
    assert bad.status_code == 401  # the signature covers the body: checked first
    assert client.get("/thanh-toan/webhook/generic/").status_code == 405
    assert Charge.objects.count() == 0 and Credit.objects.count() == 0
