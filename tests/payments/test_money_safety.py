"""Issue [O] item 7: an absurd amount in a signed notification is a 400 and records nothing; the
same transfer reported by two providers (or a provider and a statement) is credited once; a payOS
notification of a failed payment is acknowledged and never a credit (docs/adr/0022)."""

import json
import time

import pytest

from motcua.payments.models import (
    Charge,
    Credit,
    MatchDecision,
    Outcome,
    ProviderReport,
    Receipt,
    ReportKind,
)
from motcua.payments.statements import statement_import
from motcua.payments.webhooks import casso_signature, payos_signature
from tests.payments.helpers import (
    ACCOUNT,
    SECRETS,
    credit_body,
    dossier_awaiting_payment,
    generic_request,
    post,
)
from tests.payments.test_providers import PAYOS_DATA, _casso, _sepay

PLACEHOLDER = 7777777  # replaced by the literal amount in the raw body


def _with_amount(raw: bytes, literal: str) -> bytes:
    assert str(PLACEHOLDER).encode() in raw
    return raw.replace(str(PLACEHOLDER).encode(), literal.encode())


def _signed(provider: str, charge, literal: str):
    """(raw, headers) of a correctly signed notification whose amount is `literal` as written."""
    if provider == "generic":
        body = credit_body(charge, amount=PLACEHOLDER)
        return generic_request_raw(_with_amount(json.dumps(body).encode(), literal))
    if provider == "sepay":
        raw, _ = _sepay(charge)
        body = json.loads(raw)
        body["transferAmount"] = PLACEHOLDER
        raw = _with_amount(json.dumps(body).encode(), literal)
        return sepay_raw(raw)
    if provider == "casso":
        raw, _ = _casso(charge)
        body = json.loads(raw)
        body["data"]["amount"] = PLACEHOLDER
        raw = _with_amount(json.dumps(body).encode(), literal)
        parsed = json.loads(raw)
        t = str(int(time.time() * 1000))
        v1 = casso_signature(SECRETS["casso"].encode(), t, parsed, ensure_ascii=False)
        return raw, {"X-Casso-Signature": f"t={t},v1={v1}"}
    data = dict(PAYOS_DATA, amount=PLACEHOLDER)
    template = {"code": "00", "success": True, "data": data, "signature": "SIG"}
    raw = _with_amount(json.dumps(template).encode(), literal)
    signature = payos_signature(SECRETS["payos"].encode(), json.loads(raw)["data"])
    return raw.replace(b'"SIG"', json.dumps(signature).encode()), {}


def generic_request_raw(raw: bytes):
    import hashlib
    import hmac

    ts = str(int(time.time()))
    sig = hmac.new(SECRETS["generic"].encode(), ts.encode() + b"." + raw, hashlib.sha256)
    return raw, {"X-Motcua-Timestamp": ts, "X-Motcua-Signature": "sha256=" + sig.hexdigest()}


def sepay_raw(raw: bytes):
    import hashlib
    import hmac

    ts = str(int(time.time()))
    sig = hmac.new(SECRETS["sepay"].encode(), ts.encode() + b"." + raw, hashlib.sha256)
    return raw, {"X-SePay-Timestamp": ts, "X-SePay-Signature": "sha256=" + sig.hexdigest()}


def _nothing_recorded(charge):
    assert Credit.objects.count() == 0 and ProviderReport.objects.count() == 0
    assert MatchDecision.objects.count() == 0 and Receipt.objects.count() == 0
    charge.refresh_from_db()
    assert charge.received_total == 0 and charge.status == "open"


ABSURD = {
    "huge float": "1e20",
    "beyond the column": str(10**30),
    "just above the cap": str(10**12 + 1),
    "overflowing float": "1e400",
    "fraction": "150000.5",
    "text": '"150000"',
    "bool": "true",
    "null": "null",
    "zero": "0",
}


@pytest.mark.parametrize("provider", ["generic", "sepay", "casso", "payos"])
@pytest.mark.parametrize("literal", list(ABSURD.values()), ids=list(ABSURD))
def test_an_absurd_amount_is_a_400_and_records_nothing(desk, account, client, provider, literal):
    _, charge = dossier_awaiting_payment(desk)
    raw, headers = _signed(provider, charge, literal)
    response = post(client, provider, raw, headers)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "bad_amount" and "số tiền" in error["message"]
    _nothing_recorded(charge)


@pytest.mark.parametrize("provider", ["generic", "sepay", "payos"])
def test_a_negative_incoming_amount_is_a_400(desk, account, client, provider):
    _, charge = dossier_awaiting_payment(desk)
    raw, headers = _signed(provider, charge, "-150000")
    response = post(client, provider, raw, headers)
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_amount"
    _nothing_recorded(charge)


def test_casso_negative_amount_is_an_outgoing_transfer_acknowledged_not_recorded(
    desk, account, client
):
    _, charge = dossier_awaiting_payment(desk)
    raw, headers = _signed("casso", charge, "-150000")
    response = post(client, "casso", raw, headers)
    assert response.status_code == 200 and response.json()["success"] is True
    _nothing_recorded(charge)


def test_nan_and_infinity_literals_are_not_json(desk, account, client):
    _, charge = dossier_awaiting_payment(desk)
    for literal in ("NaN", "Infinity", "-Infinity"):
        raw, headers = generic_request_raw(
            _with_amount(json.dumps(credit_body(charge, amount=PLACEHOLDER)).encode(), literal)
        )
        response = post(client, "generic", raw, headers)
        assert response.status_code == 400 and response.json()["error"]["code"] == "bad_json"
    _nothing_recorded(charge)


def test_a_booking_time_that_overflows_is_a_400(desk, account, client):
    _, charge = dossier_awaiting_payment(desk)
    body = dict(credit_body(charge), booked_at="0001-01-01T00:00:00+07:00")
    raw, headers = generic_request(body)
    response = post(client, "generic", raw, headers)
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_time"
    _nothing_recorded(charge)


# --- payOS: a failed payment ------------------------------------------------------------------------


def _payos(data: dict, *, code="00", success=True) -> bytes:
    signature = payos_signature(SECRETS["payos"].encode(), data)
    body = {"code": code, "desc": "x", "success": success, "data": data, "signature": signature}
    return json.dumps(body).encode()


@pytest.mark.parametrize(
    ("data_code", "envelope_code", "success"),
    [("01", "00", True), ("00", "01", True), ("00", "00", False), ("", "00", True)],
    ids=["data.code 01", "envelope code 01", "success false", "no data.code"],
)
def test_payos_failed_payment_is_acknowledged_and_never_a_credit(
    desk, account, client, data_code, envelope_code, success
):
    dossier, charge = dossier_awaiting_payment(desk)
    data = dict(
        PAYOS_DATA,
        amount=charge.amount,
        accountNumber=ACCOUNT,
        description=charge.reference,
        code=data_code,
        desc="Giao dịch thất bại",
    )
    raw = _payos(data, code=envelope_code, success=success)
    for _ in range(2):  # payOS retries: still one record
        response = post(client, "payos", raw, {})
        assert response.status_code == 200 and response.json()["error"] == 0
    assert Credit.objects.count() == 0 and Receipt.objects.count() == 0
    report = ProviderReport.objects.get()
    assert report.kind == ReportKind.FAILED and report.credit is None
    assert "không thành công" in report.reason
    charge.refresh_from_db()
    dossier.refresh_from_db()
    assert charge.received_total == 0 and dossier.status == "awaiting_payment"


def test_payos_failed_payment_keeps_the_signature_check(desk, account, client):
    _, charge = dossier_awaiting_payment(desk)
    raw = _payos(dict(PAYOS_DATA, code="01")).replace(b'"01"', b'"02"')
    assert post(client, "payos", raw, {}).status_code == 401
    _nothing_recorded(charge)


def test_payos_successful_payment_still_credits(desk, account, client):
    dossier, charge = dossier_awaiting_payment(desk)
    data = dict(
        PAYOS_DATA, amount=charge.amount, accountNumber=ACCOUNT, description=charge.reference
    )
    response = post(client, "payos", _payos(data), {})
    assert response.status_code == 200 and response.json()["success"] is True
    dossier.refresh_from_db()
    assert dossier.status == "in_progress" and Credit.objects.count() == 1


# --- one transfer, two providers ----------------------------------------------------------------------


def _sepay_no_ref(charge, *, content=None, when="2024-05-03 14:02:37", txn=92704):
    raw, _ = _sepay(charge)
    body = json.loads(raw)
    body.update(id=txn, referenceCode="", transactionDate=when)
    if content is not None:
        body["content"] = content
    return sepay_raw(json.dumps(body).encode())


def _casso_no_ref(charge, *, description=None, when="2024-05-03 14:04:10", txn=123456):
    raw, _ = _casso(charge)
    body = json.loads(raw)
    body["data"].update(id=txn, reference="", transactionDateTime=when)
    if description is not None:
        body["data"]["description"] = description
    raw = json.dumps(body, ensure_ascii=False).encode()
    t = str(int(time.time() * 1000))
    v1 = casso_signature(SECRETS["casso"].encode(), t, body, ensure_ascii=False)
    return raw, {"X-Casso-Signature": f"t={t},v1={v1}"}


def _credited_once(charge):
    charge.refresh_from_db()
    assert charge.received_total == charge.amount and charge.status == "paid"
    assert Receipt.objects.count() == 1


def test_the_same_transfer_through_two_providers_is_credited_once(desk, account, client):
    dossier, charge = dossier_awaiting_payment(desk)
    assert post(client, "sepay", *_sepay_no_ref(charge)).status_code == 200
    raw, headers = _casso_no_ref(charge)  # the same transfer, 93 s later by Casso's clock
    response = post(client, "casso", raw, headers)
    assert response.status_code == 200 and response.json()["duplicate"] is True
    _credited_once(charge)
    credit = Credit.objects.get()
    report = ProviderReport.objects.get()
    assert (report.kind, report.credit, report.provider) == (ReportKind.DUPLICATE, credit, "casso")
    assert post(client, "casso", raw, headers).json()["duplicate"] is True  # Casso retries
    assert ProviderReport.objects.count() == 1 and Credit.objects.count() == 1
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"


def test_a_second_transfer_of_the_same_amount_is_still_credited(desk, account, client):
    """Two SePay ids are two transfers (the payer paid twice): no false duplicate; and Casso's
    copies of both are recognised, one each."""
    _, charge = dossier_awaiting_payment(desk)
    post(client, "sepay", *_sepay_no_ref(charge, txn=1))
    post(client, "sepay", *_sepay_no_ref(charge, txn=2, when="2024-05-03 14:05:00"))
    charge.refresh_from_db()
    assert charge.received_total == 2 * charge.amount and charge.status == "overpaid"
    post(client, "casso", *_casso_no_ref(charge, txn=11, when="2024-05-03 14:03:00"))
    post(client, "casso", *_casso_no_ref(charge, txn=12, when="2024-05-03 14:06:00"))
    assert Credit.objects.count() == 2
    linked = set(ProviderReport.objects.values_list("credit_id", flat=True))
    assert linked == set(Credit.objects.values_list("pk", flat=True))
    charge.refresh_from_db()
    assert charge.received_total == 2 * charge.amount


def test_a_transfer_that_may_be_the_same_goes_to_review_never_a_double_credit(
    desk, account, client
):
    _, charge = dossier_awaiting_payment(desk)
    post(client, "sepay", *_sepay_no_ref(charge))
    # Same account, amount and moment, but the narrative lost the reference: in doubt.
    raw, headers = _casso_no_ref(charge, description="NGUYEN VAN A chuyen tien")
    assert post(client, "casso", raw, headers).status_code == 200
    _credited_once(charge)
    doubtful = Credit.objects.get(provider="casso")
    decision = doubtful.decisions.get()
    assert decision.outcome == Outcome.REVIEW and decision.charge is None
    assert "Có thể là cùng giao dịch" in decision.reason


def test_outside_the_window_it_is_another_transfer(desk, account, client):
    _, charge = dossier_awaiting_payment(desk)
    post(client, "sepay", *_sepay_no_ref(charge))
    post(client, "casso", *_casso_no_ref(charge, when="2024-05-03 17:00:00"))
    charge.refresh_from_db()
    assert charge.received_total == 2 * charge.amount and ProviderReport.objects.count() == 0


def _statement(reference: str, *, day="03/05/2024", amount="200,000") -> bytes:
    lines = [
        "Ngày giao dịch;Số tham chiếu;Số tiền ghi nợ;Số tiền ghi có;Mô tả",
        f"{day};;;{amount};NGUYEN THI HUONG {reference} chuyen tien",
    ]
    return "\n".join(lines).encode("utf-8-sig")


def test_a_statement_line_of_a_webhook_credit_is_not_credited_again(desk, account, client):
    _, charge = dossier_awaiting_payment(desk)
    assert charge.amount == 200_000
    post(client, "sepay", *_sepay_no_ref(charge))
    for _ in range(2):  # importing the statement again changes nothing either
        result = statement_import(
            desk["desk"], _statement(charge.reference), "sk.csv", profile="vcb",
            account_id=account.pk,
        )  # fmt: skip
        assert (result.credits, result.duplicates, result.matched) == (0, 1, 0)
    _credited_once(charge)
    report = ProviderReport.objects.get()
    assert report.provider == "statement:vcb" and report.credit == Credit.objects.get()


def test_a_statement_line_is_in_doubt_only_of_credits_no_other_line_repeats(desk, account, client):
    """Line 3 is surely the webhook's transfer; line 2 (same amount and day, no reference) is then
    another transfer, not a doubtful copy of the webhook's: decided on its own narrative."""
    _, charge = dossier_awaiting_payment(desk)
    post(client, "sepay", *_sepay_no_ref(charge))
    content = _statement(charge.reference) + b"\n03/05/2024;;;200,000;chuyen tien"
    lines = content.decode("utf-8-sig").split("\n")
    content = "\n".join([lines[0], lines[2], lines[1]]).encode("utf-8-sig")
    result = statement_import(desk["desk"], content, "sk.csv", profile="vcb", account_id=account.pk)
    assert (result.credits, result.duplicates, result.review) == (1, 1, 1)
    _credited_once(charge)
    other = Credit.objects.get(provider="statement:vcb")
    assert "không có mã thanh toán" in other.decisions.get().reason


def test_a_webhook_after_the_statement_is_recognised(desk, account, client):
    _, charge = dossier_awaiting_payment(desk)
    result = statement_import(
        desk["desk"], _statement(charge.reference), "sk.csv", profile="vcb", account_id=account.pk
    )
    assert result.matched == 1
    response = post(client, "sepay", *_sepay_no_ref(charge))
    assert response.json()["duplicate"] is True
    _credited_once(charge)


def test_a_statement_amount_beyond_any_transfer_refuses_the_file(desk, account):
    _, charge = dossier_awaiting_payment(desk)
    with pytest.raises(Exception) as error:
        statement_import(
            desk["desk"], _statement(charge.reference, amount=str(10**30)), "sk.csv",
            profile="vcb", account_id=account.pk,
        )  # fmt: skip
    assert "số tiền không hợp lệ" in str(error.value)
    assert Credit.objects.count() == 0 and Charge.objects.get().received_total == 0
