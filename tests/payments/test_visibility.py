"""[O] 3 / [M] 3: the settlement pages show a settling officer only the credits of the one rule
(payments.selectors.credits_visible_to): tied to a dossier they may see, or tied to none and paid
into an account their unit collects into. Another agency's credits stay out of every list, page,
report and export — and cannot be settled by posting their id."""

import io

from openpyxl import load_workbook

from motcua.accounts.roles import Role
from motcua.payments.models import Credit, MatchDecision
from motcua.payments.services import CreditData, credit_receive
from tests.accounts.factories import UserFactory
from tests.payments.helpers import collecting_account
from tests.payments.test_matcher import WHEN

POLICE_ACCOUNT = "0099887766"


def _police_credit(desk):
    police = desk["units"]["police"]
    account = collecting_account(
        account_number=POLICE_ACCOUNT, account_name="CONG AN TINH", unit=police, is_default=False
    )
    credit = credit_receive(None, CreditData(provider="generic", provider_txn_id="CA1", amount=350000, booked_at=WHEN,
                   narrative="nop phat", account_number=POLICE_ACCOUNT,
                   counterparty_name="LE VAN CONG AN")).credit  # fmt: skip
    return account, credit


def test_another_agencys_credit_is_out_of_every_settlement_page(desk, account, client):
    police_account, credit = _police_credit(desk)
    client.force_login(desk["desk"])  # the Sở's desk: collects into the default account
    listing = client.get("/can-bo/thanh-toan/doi-soat/").content.decode()
    assert f"/can-bo/thanh-toan/doi-soat/{credit.pk}/" not in listing
    assert client.get(f"/can-bo/thanh-toan/doi-soat/{credit.pk}/").status_code == 403
    decisions = MatchDecision.objects.count()
    post = client.post(
        f"/can-bo/thanh-toan/doi-soat/{credit.pk}/",
        {"action": "refund", "reason": "thử chiếm quyền"},
    )
    assert post.status_code == 403 and MatchDecision.objects.count() == decisions
    report = client.get("/can-bo/thanh-toan/bao-cao/?ngay=2024-05-03").content.decode()
    assert POLICE_ACCOUNT not in report and "LE VAN CONG AN" not in report
    for suffix in ("pdf", "xlsx"):
        export = client.get(f"/can-bo/thanh-toan/bao-cao/{police_account.pk}/2024-05-03.{suffix}")
        assert export.status_code == 403
    form = client.get("/can-bo/thanh-toan/sao-ke/").content.decode()
    assert POLICE_ACCOUNT not in form


def test_the_agency_that_owns_the_account_settles_its_credit(desk, account, client):
    police_account, credit = _police_credit(desk)
    officer = UserFactory(role=Role.DESK_OFFICER, unit=desk["units"]["police"])
    client.force_login(officer)
    assert (
        f"/can-bo/thanh-toan/doi-soat/{credit.pk}/"
        in client.get("/can-bo/thanh-toan/doi-soat/").content.decode()
    )
    assert client.get(f"/can-bo/thanh-toan/doi-soat/{credit.pk}/").status_code == 200
    xlsx = client.get(f"/can-bo/thanh-toan/bao-cao/{police_account.pk}/2024-05-03.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content))["Tổng hợp"]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=6, values_only=True)}
    assert rows["Đã nhận"] == (1, 350000)


def test_a_credit_tied_to_a_dossier_stays_with_who_may_see_the_dossier(desk, account, client):
    from tests.payments.helpers import dossier_awaiting_payment

    dossier, charge = dossier_awaiting_payment(desk)
    paid = credit_receive(None, CreditData(provider="generic", provider_txn_id="OK", amount=200000,
                                     booked_at=WHEN, narrative=charge.reference,
                                     account_number=account.account_number,
                                     counterparty_name="NGUYEN THI HUONG"))  # fmt: skip
    assert Credit.objects.filter(pk=paid.credit.pk).exists()
    # The police collect into the same default account, but the dossier is the Sở's.
    officer = UserFactory(role=Role.DESK_OFFICER, unit=desk["units"]["police"])
    client.force_login(officer)
    report = client.get("/can-bo/thanh-toan/bao-cao/?ngay=2024-05-03").content.decode()
    assert "NGUYEN THI HUONG" not in report and dossier.code not in report
    assert client.get(f"/can-bo/thanh-toan/doi-soat/{paid.credit.pk}/").status_code == 403
    client.force_login(desk["desk"])
    assert client.get(f"/can-bo/thanh-toan/doi-soat/{paid.credit.pk}/").status_code == 200
