"""A charge is opened when its fee falls due — a reception (fees due at intake), a supplement request
(fees due with it), a payment request (status 6) — once that change commits
(payments.services.charges_open_when_due, a subscriber of motcua.dossiers.changes). The pages that
show its VietQR (Mẫu 01, Mẫu 02, the tracking page, the officer's dossier page) only read: where no
charge was opened they show none, and a GET writes nothing — no charge, no collecting account."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.payments.models import Charge, CollectingAccount
from motcua.payments.services import charge_open_when_due
from tests.dossiers.test_services import act, receive
from tests.payments.helpers import BIN, collecting_account, dossier_in_progress


@pytest.fixture
def env_account(monkeypatch):
    """The department's account configured in the environment only (PAYMENTS_DEFAULT_*)."""
    monkeypatch.setattr(settings, "PAYMENTS_DEFAULT_BIN", BIN)
    monkeypatch.setattr(settings, "PAYMENTS_DEFAULT_ACCOUNT", "0099887766")
    monkeypatch.setattr(settings, "PAYMENTS_DEFAULT_ACCOUNT_NAME", "SO TU PHAP")


def _payment_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "payments_" in q["sql"]
    ]


def _rows():
    return Charge.objects.count(), CollectingAccount.objects.count()


def _awaiting_payment_without_charge(desk):
    """Status 6 asked through the workflow alone (no charge_request), its commit not yet heard."""
    dossier = dossier_in_progress(desk)
    act(desk["specialist"], dossier, "request_payment", "2024-05-03T09:00", reason="Nộp lệ phí")
    dossier.refresh_from_db()
    return dossier


def test_get_pages_that_show_the_qr_write_nothing(desk, client, env_account):
    """Fees due at intake and status 6, no charge opened, only an account from the environment:
    every page that could show the VietQR reads, shows no QR and inserts nothing."""
    dossier = _awaiting_payment_without_charge(desk)
    before = _rows()
    assert before == (0, 0)
    client.force_login(desk["specialist"])
    with CaptureQueriesContext(connection) as queries:
        tracking = client.get(f"/cong-dan/tra-cuu/{dossier.code}/")
        officer_page = client.get(f"/can-bo/ho-so/{dossier.pk}/")
        receipt = client.get(f"/can-bo/ho-so/{dossier.pk}/mau-01.pdf")
        png = client.get(f"/can-bo/thanh-toan/ho-so/{dossier.pk}/vietqr.png")
    assert tracking.status_code == 200 and 'id="vietqr"' not in tracking.content.decode()
    assert officer_page.status_code == 200 and receipt.status_code == 200
    assert png.status_code == 403  # "Hồ sơ chưa có khoản phải nộp."
    assert _payment_writes(queries) == []
    assert _rows() == before


def test_get_of_mau_02_writes_nothing(desk_supplement_fee, client):
    """Fees due with the supplement, the request not yet heard: Mẫu 02 prints without a QR."""
    people = desk_supplement_fee
    collecting_account()
    dossier = receive(people)
    act(people["head"], dossier, "assign", "2024-05-02T09:00", assignee_id=people["specialist"].pk)
    act(people["specialist"], dossier, "request_supplement", "2024-05-07T09:00", reason="Bổ sung")
    before = _rows()
    client.force_login(people["specialist"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/can-bo/ho-so/{dossier.pk}/mau-02.pdf").status_code == 200
    assert _payment_writes(queries) == [] and _rows() == before


def test_a_committed_reception_opens_the_intake_fee_and_the_qr_shows(
    desk, client, django_capture_on_commit_callbacks
):
    account = collecting_account()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive(desk)
    charge = Charge.objects.get(dossier=dossier)
    assert (charge.amount, charge.account, charge.due_moment) == (200000, account, "intake")


def test_a_payment_request_through_the_workflow_alone_opens_the_charge_on_commit(
    desk, client, django_capture_on_commit_callbacks
):
    collecting_account()
    dossier = dossier_in_progress(desk)  # heard by nobody: no charge yet
    assert not Charge.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        act(desk["specialist"], dossier, "request_payment", "2024-05-03T09:00", reason="Nộp phí")
    assert Charge.objects.get(dossier=dossier).amount == 200000
    assert 'id="vietqr"' in client.get(f"/cong-dan/tra-cuu/{dossier.code}/").content.decode()


def test_a_fee_due_at_another_moment_opens_nothing(desk, django_capture_on_commit_callbacks):
    collecting_account()
    dossier = receive(desk)
    with django_capture_on_commit_callbacks(execute=True):
        act(desk["head"], dossier, "assign", "2024-05-02T09:00", assignee_id=desk["specialist"].pk)
    assert charge_open_when_due(None, dossier.pk, moment="supplement") is None
    assert charge_open_when_due(None, dossier.pk, moment=None) is None  # not in status 6
    assert not Charge.objects.exists()


def test_no_account_anywhere_opens_nothing_and_is_no_error(
    desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive(desk)
    assert charge_open_when_due(None, dossier.pk, moment="intake") is None
    assert _rows() == (0, 0)


def test_the_account_from_the_environment_is_recorded_by_the_service_once(
    desk, env_account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = receive(desk)
        second = receive(desk, when="2024-04-26T16:10")
    account = CollectingAccount.objects.get()
    assert account.account_number == "0099887766" and account.is_default
    assert {c.dossier_id for c in Charge.objects.filter(account=account)} == {first.pk, second.pk}
