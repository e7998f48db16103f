"""The bulk record of fees already paid (payments/bulk.py): charges, credits, receipts and decisions
dated when the money came, counted by the report like payments taken one by one."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from motcua.payments.bulk import PastPayment, past_payments_record
from motcua.payments.models import Charge, Credit, MatchDecision, Receipt, ReceiptSequence
from motcua.payments.references import references_for
from motcua.payments.selectors import charge_totals, payment_channel_counts
from tests.dossiers.test_services import receive

pytestmark = pytest.mark.django_db


def test_past_payments_are_charged_paid_receipted_and_counted(desk, account):
    online = receive(desk, when="2023-03-01T09:00")
    at_desk = receive(desk, when="2023-03-01T10:00")
    unpaid = receive(desk, when="2023-03-02T09:00")
    paid_online_at = online.received_at + timedelta(minutes=30)
    opened = past_payments_record(
        [
            PastPayment(online.pk, online.received_at, paid_online_at, "online"),
            PastPayment(
                at_desk.pk,
                at_desk.received_at,
                at_desk.received_at + timedelta(minutes=5),
                "desk",
                recorded_by_id=desk["desk"].pk,
            ),
            PastPayment(unpaid.pk, unpaid.received_at),
        ]
    )
    assert opened == 3
    charge = Charge.objects.get(dossier=online)
    assert charge.reference == references_for(online.code)[0]
    assert charge.account == account and charge.opened_at == online.received_at
    assert (charge.status, charge.received_total) == ("paid", charge.amount)
    assert (charge.settled_at, charge.settled_channel) == (paid_online_at, "online")
    receipt = Receipt.objects.get(charge=charge)
    # Dated and numbered in the year the money came, not the year the history was loaded.
    assert receipt.issued_at == paid_online_at and receipt.number == "BL2023-000001"
    assert Receipt.objects.get(charge__dossier=at_desk).number == "BL2023-000002"
    assert ReceiptSequence.objects.get(year=2023).last_value == 2
    decision = MatchDecision.objects.get(charge=charge)
    assert decision.outcome == "paid" and decision.at == paid_online_at
    assert charge.reference in Credit.objects.get(receipt=receipt).narrative
    assert Credit.objects.get(receipt__charge__dossier=at_desk).recorded_by == desk["desk"]
    assert Charge.objects.get(dossier=unpaid).status == "open"

    period = (date(2023, 3, 1), date(2023, 3, 31))
    assert payment_channel_counts(*period) == {"paid_online": 1, "paid_desk": 1}
    assert charge_totals(*period)["unpaid"] == 1


def test_a_second_record_changes_nothing(desk, account):
    dossier = receive(desk, when="2023-03-01T09:00")
    payment = PastPayment(dossier.pk, dossier.received_at, dossier.received_at, "desk")
    assert past_payments_record([payment]) == 1
    assert past_payments_record([payment]) == 0
    assert (Charge.objects.count(), Credit.objects.count(), Receipt.objects.count()) == (1, 1, 1)


def test_no_collecting_account_writes_nothing(desk):
    dossier = receive(desk, when="2023-03-01T09:00")
    with pytest.raises(ValidationError):
        past_payments_record([PastPayment(dossier.pk, dossier.received_at, dossier.received_at)])
    assert not Charge.objects.exists()


def test_a_fee_the_procedure_does_not_have_is_refused(desk, account):
    dossier = receive(desk, when="2023-03-01T09:00")
    with pytest.raises(ValidationError):
        past_payments_record([PastPayment(dossier.pk, dossier.received_at, fee_order=99)])
    assert not Charge.objects.exists()
