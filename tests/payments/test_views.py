"""The payments pages: the panel on the dossier page, the review queue, statement upload, the daily
report (PDF, XLSX), collecting accounts (administrator only), the QR on the portal and on Mẫu 01."""

import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from motcua.accounts.roles import Role
from motcua.core.models import PersonalDataRead
from motcua.payments.models import CollectingAccount, Credit, MatchDecision, Receipt
from motcua.payments.selectors import charge_payload
from motcua.payments.services import CreditData, credit_receive
from tests.accounts.factories import UserFactory
from tests.payments.helpers import ACCOUNT, dossier_awaiting_payment, dossier_in_progress
from tests.payments.test_matcher import WHEN

needs_tools = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")), reason="poppler / zbar missing"
)


def _review_credit():
    return credit_receive(None, CreditData(provider="generic", provider_txn_id="R1", amount=200000, booked_at=WHEN,
                   narrative="nop tien", account_number=ACCOUNT)).credit  # fmt: skip


def test_panel_requests_payment_then_shows_the_qr(desk, account, client):
    dossier = dossier_in_progress(desk)
    client.force_login(desk["specialist"])
    page = client.get(f"/can-bo/ho-so/{dossier.pk}/")
    assert "Yêu cầu nộp phí qua VietQR" in page.content.decode()
    stale = client.post(
        f"/can-bo/thanh-toan/ho-so/{dossier.pk}/yeu-cau-nop-phi/",
        {"revision": dossier.revision - 1},
    )
    assert stale.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "in_progress" and not hasattr(dossier, "charge")
    response = client.post(
        f"/can-bo/thanh-toan/ho-so/{dossier.pk}/yeu-cau-nop-phi/",
        {"revision": dossier.revision, "fee_order": 2},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "awaiting_payment" and dossier.charge.amount == 100000
    page = client.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
    assert dossier.charge.reference in page and "<svg" in page
    png = client.get(f"/can-bo/thanh-toan/ho-so/{dossier.pk}/vietqr.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"


def test_desk_payment_through_the_panel_form(desk, account, client):
    dossier, charge = dossier_awaiting_payment(desk)
    client.force_login(desk["desk"])
    page = client.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
    assert "Thu tại quầy và lập biên lai" in page
    form = {"amount": "200000", "method": "pos", "token": "0b0e7bd8-1b7e-4d1e-9a55-2f6f2b8f4a10"}
    client.post(f"/can-bo/thanh-toan/ho-so/{dossier.pk}/thu-tai-quay/", form)
    client.post(f"/can-bo/thanh-toan/ho-so/{dossier.pk}/thu-tai-quay/", form)  # double click
    assert Receipt.objects.count() == 1
    bad = client.post(
        f"/can-bo/thanh-toan/ho-so/{dossier.pk}/thu-tai-quay/",
        {**form, "token": "x", "amount": "-1"},
    )
    assert bad.status_code == 302 and Receipt.objects.count() == 1


def test_review_queue_and_settling_by_form(desk, account, client):
    dossier, charge = dossier_awaiting_payment(desk)
    credit = _review_credit()
    client.force_login(desk["desk"])
    listing = client.get("/can-bo/thanh-toan/doi-soat/").content.decode()
    assert f"/can-bo/thanh-toan/doi-soat/{credit.pk}/" in listing
    refused = client.post(
        f"/can-bo/thanh-toan/doi-soat/{credit.pk}/",
        {"action": "link", "dossier_code": dossier.code, "reason": ""},
    )
    assert refused.status_code == 200 and "Chưa lưu được" in refused.content.decode()
    assert MatchDecision.objects.count() == 1
    done = client.post(
        f"/can-bo/thanh-toan/doi-soat/{credit.pk}/",
        {"action": "link", "dossier_code": dossier.code, "reason": "Xác nhận qua điện thoại"},
    )
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"
    assert "Không còn khoản tiền nào" in client.get("/can-bo/thanh-toan/doi-soat/").content.decode()
    citizen = UserFactory(citizen=True)
    client.force_login(citizen)
    assert client.get("/can-bo/thanh-toan/doi-soat/").status_code == 403
    assert client.get(f"/can-bo/thanh-toan/doi-soat/{credit.pk}/").status_code == 403


def test_statement_upload_page(desk, account, client):
    from tests.payments.test_statements import vcb_csv

    dossier, charge = dossier_awaiting_payment(desk)
    client.force_login(desk["desk"])
    upload = io.BytesIO(vcb_csv(charge.reference))
    upload.name = "saoke.csv"
    page = client.post(
        "/can-bo/thanh-toan/sao-ke/", {"account": account.pk, "profile": "vcb", "file": upload}
    )
    assert "1 khớp với hồ sơ, 1 chờ đối soát" in page.content.decode()
    wrong = io.BytesIO(b"%PDF")
    wrong.name = "saoke.pdf"
    page = client.post(
        "/can-bo/thanh-toan/sao-ke/", {"account": account.pk, "profile": "vcb", "file": wrong}
    )
    assert "Chỉ nhận tệp .csv hoặc .xlsx" in page.content.decode()
    assert Credit.objects.count() == 2


def test_daily_report_pdf_and_xlsx(desk, account, client, tmp_path):
    dossier, charge = dossier_awaiting_payment(desk)
    credit_receive(None, CreditData(provider="generic", provider_txn_id="OK", amount=200000, booked_at=WHEN,
                              narrative=charge.reference, account_number=ACCOUNT))  # fmt: skip
    _review_credit()
    client.force_login(desk["head"])
    page = client.get("/can-bo/thanh-toan/bao-cao/?ngay=2024-05-03").content.decode()
    assert "Đối soát thu phí ngày 03/05/2024" in page
    xlsx = client.get(f"/can-bo/thanh-toan/bao-cao/{account.pk}/2024-05-03.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content))["Tổng hợp"]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=6, values_only=True)}
    assert rows["Phải thu (phát sinh trong ngày)"] == (1, 200000)
    assert rows["Đã nhận"] == (2, 400000)
    assert rows["Đã khớp với hồ sơ"] == (1, 200000)
    assert rows["Chưa khớp (đối soát thủ công, hoàn trả)"] == (1, 200000)
    pdf = client.get(f"/can-bo/thanh-toan/bao-cao/{account.pk}/2024-05-03.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "BÁO CÁO ĐỐI SOÁT THU PHÍ, LỆ PHÍ" in text and "400.000" in text
    assert (
        client.get(f"/can-bo/thanh-toan/bao-cao/{account.pk}/khong-phai-ngay.pdf").status_code
        == 403
    )


def test_receipt_pdf_access_is_checked_and_logged(desk, account, client):
    dossier, charge = dossier_awaiting_payment(desk)
    credit_receive(None, CreditData(provider="generic", provider_txn_id="OK", amount=200000, booked_at=WHEN,
                              narrative=charge.reference, account_number=ACCOUNT))  # fmt: skip
    receipt = Receipt.objects.get()
    stranger = UserFactory(role=Role.SPECIALIST)
    client.force_login(stranger)
    assert client.get(f"/can-bo/thanh-toan/bien-lai/{receipt.pk}/").status_code == 403
    assert client.get("/can-bo/thanh-toan/bien-lai/999999/").status_code == 403
    client.force_login(desk["desk"])
    assert client.get(f"/can-bo/thanh-toan/bien-lai/{receipt.pk}/").status_code == 200
    assert PersonalDataRead.objects.filter(purpose="payment_receipt_pdf").count() == 1


def test_collecting_accounts_administrator_only(db, client):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(UserFactory(role=Role.DESK_OFFICER))
    assert client.get("/can-bo/thanh-toan/quan-tri/tai-khoan/").status_code == 403
    client.force_login(admin)
    bad = client.post(
        "/can-bo/thanh-toan/quan-tri/tai-khoan/moi/",
        {"bank_bin": "123456", "account_number": "12 34-5", "account_name": ""},
    )
    assert bad.status_code == 200 and CollectingAccount.objects.count() == 0
    good = client.post(
        "/can-bo/thanh-toan/quan-tri/tai-khoan/moi/",
        {
            "bank_bin": "970415",
            "account_number": "1133 6666 8888",
            "account_name": "So Tu phap",
            "is_default": "on",
            "is_active": "on",
        },
    )
    assert good.status_code == 302
    account = CollectingAccount.objects.get()
    assert (account.bank_name, account.account_number, account.is_default) == (
        "VietinBank",
        "113366668888",
        True,
    )
    again = client.post(
        "/can-bo/thanh-toan/quan-tri/tai-khoan/moi/",
        {
            "bank_bin": "970415",
            "account_number": "113366668888",
            "account_name": "X",
            "is_active": "on",
        },
    )
    assert "đã được khai báo" in again.content.decode() and CollectingAccount.objects.count() == 1
    assert "113366668888" in client.get("/can-bo/thanh-toan/quan-tri/tai-khoan/").content.decode()


@needs_tools
def test_portal_tracking_page_shows_a_qr_that_decodes(desk, account, client, tmp_path):
    dossier, charge = dossier_awaiting_payment(desk)
    page = client.get(f"/cong-dan/tra-cuu/{dossier.code}/").content.decode()
    assert "Nộp phí, lệ phí bằng mã VietQR" in page and charge.reference in page
    assert "042190001234" not in page
    import base64
    import re

    data = re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1)
    png = tmp_path / "qr.png"
    png.write_bytes(base64.b64decode(data))
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True
    ).stdout.strip()
    assert decoded == charge_payload(charge)
    # Paid: the QR disappears.
    credit_receive(None, CreditData(provider="generic", provider_txn_id="OK", amount=200000, booked_at=WHEN,
                              narrative=charge.reference, account_number=ACCOUNT))  # fmt: skip
    assert (
        "Nộp phí, lệ phí bằng mã VietQR"
        not in client.get(f"/cong-dan/tra-cuu/{dossier.code}/").content.decode()
    )


@needs_tools
def test_receipt_mau_01_carries_the_payment_qr_when_fees_are_due_at_intake(
    desk, account, client, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the charge opens once receipt commits
        dossier = dossier_in_progress(desk)
    client.force_login(desk["desk"])
    pdf = client.get(f"/can-bo/ho-so/{dossier.pk}/mau-01.pdf")
    path = tmp_path / "mau01.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Nộp phí, lệ phí bằng VietQR: 200.000 đồng" in text
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(path), str(tmp_path / "p")], check=True)
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", *map(str, sorted(tmp_path.glob("p*.png")))],
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    dossier.refresh_from_db()
    assert charge_payload(dossier.charge) in decoded


def test_the_tracking_page_looks_for_a_fee_only_while_one_is_due(desk, account, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dossier = dossier_in_progress(desk)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/cong-dan/tra-cuu/{dossier.code}/")
    assert page.status_code == 200 and "vietqr" not in page.content.decode()
    assert not [q for q in queries if "awaiting_payment" in q["sql"]]
    waiting, _ = dossier_awaiting_payment(desk)
    assert 'id="vietqr"' in client.get(f"/cong-dan/tra-cuu/{waiting.code}/").content.decode()
