"""One matcher for every source: exact → paid, less → partial, more → overpaid, anything doubtful →
the review queue; people settle the queue with a reason; every decision is recorded, append-only."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.payments.models import Credit, MatchDecision, Receipt
from motcua.payments.references import references_for
from motcua.payments.selectors import credits_in_review, payment_channel_counts
from motcua.payments.services import (
    CreditData,
    credit_receive,
    credit_settle,
    desk_payment_record,
)
from tests.payments.helpers import ACCOUNT, collecting_account, dossier_awaiting_payment

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
WHEN = datetime(2024, 5, 3, 10, 0, tzinfo=HCM)


def credit(txn, amount, narrative, account=ACCOUNT):
    return credit_receive(
        None,
        CreditData(
            provider="generic",
            provider_txn_id=txn,
            amount=amount,
            booked_at=WHEN,
            narrative=narrative,
            account_number=account,
        ),
    )


def test_less_then_the_rest_partial_then_paid_and_the_dossier_moves_on(desk, account):
    dossier, charge = dossier_awaiting_payment(desk)
    first = credit("T1", 150000, f"nop phi {charge.reference}")
    assert first.decision.outcome == "partial"
    charge.refresh_from_db()
    dossier.refresh_from_db()
    assert (charge.status, charge.received_total, charge.outstanding) == ("partial", 150000, 50000)
    assert dossier.status == "awaiting_payment"
    second = credit("T2", 50000, f"nop bo sung {charge.reference}")
    assert second.decision.outcome == "paid"
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"
    assert Receipt.objects.filter(charge=charge).count() == 2


def test_more_is_overpaid_and_still_moves_on(desk, account):
    dossier, charge = dossier_awaiting_payment(desk)
    result = credit("T1", 250000, charge.reference)
    assert result.decision.outcome == "overpaid"
    charge.refresh_from_db()
    dossier.refresh_from_db()
    assert charge.status == "overpaid" and dossier.status == "in_progress"


@pytest.mark.parametrize(
    "narrative,account_number,reason",
    [
        ("chuyen tien le phi", ACCOUNT, "không có mã thanh toán"),
        ("{damaged}", ACCOUNT, "sai chữ số kiểm tra"),
        ("{unknown}", ACCOUNT, "không thuộc hồ sơ nào"),
        ("{ref}", "9999999999", "không phải tài khoản thu"),
        ("{ref} {other}", ACCOUNT, "nhiều mã thanh toán"),
    ],
)
def test_doubtful_credits_go_to_review_and_nothing_moves(
    desk, account, narrative, account_number, reason
):
    dossier, charge = dossier_awaiting_payment(desk)
    if "{other}" in narrative:
        other_dossier, _ = dossier_awaiting_payment_other(desk)
        narrative = narrative.replace("{other}", other_dossier.charge.reference)
    damaged = charge.reference[:-1] + ("1" if charge.reference[-1] != "1" else "2")
    unknown = references_for("000.00.40.H27-240426-9999")[0]
    text = narrative.format(ref=charge.reference, damaged=damaged, unknown=unknown)
    result = credit("T1", 200000, text, account_number)
    assert result.decision.outcome == "review" and reason in result.decision.reason
    charge.refresh_from_db()
    dossier.refresh_from_db()
    assert charge.status == "open" and dossier.status == "awaiting_payment"
    assert list(credits_in_review()) == [result.credit]
    assert Receipt.objects.count() == 0


def dossier_awaiting_payment_other(desk):
    from tests.payments.helpers import dossier_awaiting_payment as again

    return again(desk, when="2024-05-03T10:00")


def test_review_settled_by_linking_with_a_reason(desk, account):
    dossier, charge = dossier_awaiting_payment(desk)
    result = credit("T1", 200000, "nop tien ho so ly lich tu phap")
    with pytest.raises(ValidationError):
        credit_settle(
            desk["desk"], result.credit.pk, action="link", reason="  ", dossier_code=dossier.code
        )
    with pytest.raises(ValidationError) as error:
        credit_settle(
            desk["desk"],
            result.credit.pk,
            action="link",
            reason="Đã gọi điện xác nhận",
            dossier_code="KHONG-CO",
        )
    assert "dossier_code" in error.value.message_dict
    assert MatchDecision.objects.count() == 1  # nothing recorded by the refused attempts

    decision = credit_settle(
        desk["desk"], result.credit.pk, action="link", reason="Đã gọi điện xác nhận",
        dossier_code=dossier.code,
    )  # fmt: skip
    assert decision.outcome == "linked" and decision.actor == desk["desk"]
    assert "Đã gọi điện xác nhận" in decision.reason
    dossier.refresh_from_db()
    charge.refresh_from_db()
    assert charge.status == "paid" and dossier.status == "in_progress"
    assert list(credits_in_review()) == []
    # A double click: refused, nothing changed.
    with pytest.raises(ValidationError, match="đã được đối soát"):
        credit_settle(desk["desk"], result.credit.pk, action="refund", reason="nhầm")
    assert MatchDecision.objects.count() == 2 and Receipt.objects.count() == 1


def test_review_settled_by_a_refund_note(desk, account):
    result = credit("T1", 50000, "chuyen nham")
    decision = credit_settle(
        desk["head"], result.credit.pk, action="refund", reason="Người nộp chuyển nhầm"
    )
    assert decision.outcome == "refund" and decision.charge is None
    assert list(credits_in_review()) == []


def test_settling_needs_a_settling_role(desk, account):
    result = credit("T1", 50000, "chuyen nham")
    with pytest.raises(PermissionDenied):
        credit_settle(desk["specialist"], result.credit.pk, action="refund", reason="x")


def test_credits_and_decisions_are_append_only(desk, account):
    result = credit("T1", 50000, "chuyen nham")
    with pytest.raises(PermissionError):
        result.credit.save()
    with pytest.raises(PermissionError):
        Credit.objects.update(amount=1)
    with pytest.raises(PermissionError):
        MatchDecision.objects.all().delete()


def test_desk_payment_once_per_form_and_counted_as_desk(desk, account):
    dossier, charge = dossier_awaiting_payment(desk)
    token = "8a6e0804-2bd0-4672-b79d-d97027f20b17"
    first = desk_payment_record(desk["desk"], dossier.pk, amount=200000, method="cash", token=token)
    again = desk_payment_record(desk["desk"], dossier.pk, amount=200000, method="cash", token=token)
    assert first.created and not again.created
    assert Receipt.objects.count() == 1
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"
    counts = payment_channel_counts(datetime(2024, 4, 1).date(), datetime(2024, 4, 30).date())
    assert counts == {"paid_online": 0, "paid_desk": 1}
    with pytest.raises(ValidationError):
        desk_payment_record(desk["desk"], dossier.pk, amount=0, method="cash", token=token)
    with pytest.raises(ValidationError):
        desk_payment_record(desk["desk"], dossier.pk, amount=1, method="bitcoin", token=token)
    with pytest.raises(PermissionDenied):
        desk_payment_record(desk["specialist"], dossier.pk, amount=1, method="cash", token=token)


def test_channel_counts_by_unit_and_period(desk, account):
    dossier, charge = dossier_awaiting_payment(desk)
    credit("T1", 200000, charge.reference)
    april = (datetime(2024, 4, 1).date(), datetime(2024, 4, 30).date())
    assert payment_channel_counts(*april) == {"paid_online": 1, "paid_desk": 0}
    assert payment_channel_counts(*april, unit_code="000.00.40.H27")["paid_online"] == 1
    assert payment_channel_counts(*april, unit_code="000.00.12.H27")["paid_online"] == 0
    may = (datetime(2024, 5, 1).date(), datetime(2024, 5, 31).date())
    assert payment_channel_counts(*may) == {"paid_online": 0, "paid_desk": 0}
    from motcua.payments.indicators import report_sections

    section = report_sections(*april)["payments"]
    assert section["paid_online_pct"] == 100.0 and section["due_amount"] == 200000


def test_unit_account_wins_over_the_default(desk, account):
    own = collecting_account(
        bank_bin="970415",
        account_number="113366668888",
        is_default=False,
        unit=desk["units"]["centre"],
    )
    _, charge = dossier_awaiting_payment(desk)
    assert charge.account == own
