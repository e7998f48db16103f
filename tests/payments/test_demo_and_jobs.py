"""The demo part is idempotent; the job moves on dossiers paid but still in status 6."""

from datetime import date
from io import StringIO

from django.core.management import call_command

from motcua.dossiers.models import Dossier
from motcua.payments.demo import DEMO_ACCOUNT, load_demo
from motcua.payments.models import Charge, CollectingAccount, Credit
from motcua.payments.selectors import credits_in_review, payment_channel_counts
from motcua.payments.services import CreditData, credit_receive
from tests.dossiers.test_services import receive
from tests.payments.helpers import ACCOUNT, dossier_awaiting_payment, dossier_in_progress
from tests.payments.test_matcher import WHEN


def test_demo_is_idempotent(desk):
    dossier = dossier_in_progress(desk)
    returned = [receive(desk, when=f"2024-04-2{n}T09:00") for n in (2, 3, 4)]
    Dossier.objects.filter(pk__in=[d.pk for d in returned]).update(status="returned")
    out = StringIO()
    load_demo(stdout=out)
    load_demo()
    april = (date(2024, 4, 1), date(2024, 4, 30))
    assert payment_channel_counts(*april) == {"paid_online": 2, "paid_desk": 1}
    assert Credit.objects.count() == 3 and not credits_in_review().exists()
    assert CollectingAccount.objects.get().account_number == DEMO_ACCOUNT
    dossier.refresh_from_db()
    assert dossier.status == "awaiting_payment" and Charge.objects.count() == 4
    assert "0201000686868" in out.getvalue()


def test_the_job_moves_on_a_paid_dossier_left_in_status_6(desk, account):
    dossier, charge = dossier_awaiting_payment(desk)
    # Paid while the dossier was not yet in status 6 would not move it; simulate a payment whose
    # move was left undone (e.g. a statement import stopped after its transaction).
    Dossier.objects.filter(pk=dossier.pk).update(status="in_progress")
    credit_receive(None, CreditData(provider="generic", provider_txn_id="J1", amount=200000, booked_at=WHEN,
                   narrative=charge.reference, account_number=ACCOUNT))  # fmt: skip
    Dossier.objects.filter(pk=dossier.pk).update(status="awaiting_payment")
    out = StringIO()
    call_command("jobs", "run", "payments-advance", stdout=out)
    assert "1 hồ sơ" in out.getvalue()
    dossier.refresh_from_db()
    assert dossier.status == "in_progress" and Credit.objects.count() == 1
