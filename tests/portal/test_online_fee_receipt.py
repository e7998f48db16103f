"""Issue 15 items 8 and 9: the fee due "khi nộp hồ sơ" shown before (procedure page, application
form) and paid right after an online submission (the VietQR on the confirmation page and on the
citizen's dossier page, with a PNG to save and the values to copy; the desk sees the credit when it
accepts), and the receipt of an online submission (Giấy xác nhận nộp hồ sơ trực tuyến) as a PDF."""

import subprocess
from datetime import datetime
from urllib.parse import quote

import pytest
import time_machine
from django.urls import reverse

from motcua.catalog.selectors import version_in_force
from motcua.dossiers.models import Dossier
from motcua.payments.models import Charge
from motcua.payments.references import is_valid, references_in
from motcua.payments.services import CreditData, credit_receive
from motcua.portal.models import Application
from tests.dossiers.test_services import act, at
from tests.payments.helpers import ACCOUNT, collecting_account

from .factories import CODE, citizen, online_dossier, pdf_upload, png_upload

NOW = "2024-05-06T10:00"  # a Monday


@pytest.fixture
def today():
    with time_machine.travel(at(NOW), tick=False):
        yield


@pytest.fixture
def hương(desk, today):
    return citizen()


@pytest.fixture
def account(db):
    return collecting_account()


def _submit(client, user, django_capture_on_commit_callbacks):
    """Through the pages: open a draft, upload the two papers, submit; the commit is heard."""
    client.force_login(user)
    client.post(reverse("portal:apply_start", args=[CODE]))
    draft = Application.objects.get()
    form = {
        "full_name": "Nguyễn Thị Hương",
        "citizen_id": "042190001234",
        "phone": "0912345678",
        "return_channel": "desk",
        "notify_channel": "sms",
        "action": "submit",
        "file_1": pdf_upload("tờ khai lý lịch.pdf"),
        "file_2": png_upload("căn cước.png"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:application_edit", args=[draft.pk]), form)
    return response, Dossier.objects.get()


# --- 8. the fee, before ----------------------------------------------------------------------


def test_the_procedure_page_says_when_the_fee_is_paid(client, desk):
    page = client.get(reverse("portal:procedure_detail", args=[CODE])).content.decode()
    assert "200.000 đồng" in page
    assert "Thời điểm nộp: <strong>nộp khi nộp hồ sơ</strong>" in page
    assert "mã VietQR ngay sau khi gửi hồ sơ" in page


def test_the_application_form_shows_the_fee_and_its_moment(client, hương):
    client.force_login(hương)
    client.post(reverse("portal:apply_start", args=[CODE]))
    draft = Application.objects.get()
    page = client.get(reverse("portal:application_edit", args=[draft.pk])).content.decode()
    assert "Phí cung cấp thông tin lý lịch tư pháp: <strong>200.000 đồng</strong>" in page
    assert "nộp khi nộp hồ sơ" in page and "mã VietQR hiện ngay trên trang xác nhận" in page


# --- 8. the fee, after: the charge opened at submission ------------------------------------------


def test_an_online_submission_opens_the_intake_fee_with_a_reference_before_any_code(
    client, hương, account, django_capture_on_commit_callbacks
):
    response, dossier = _submit(client, hương, django_capture_on_commit_callbacks)
    assert dossier.code is None and dossier.status == "submitted_online"
    charge = Charge.objects.get(dossier=dossier)
    assert (charge.amount, charge.account, charge.due_moment) == (200000, account, "intake")
    # The reference the bank narrative carries: check digits right, found by the matcher.
    assert is_valid(charge.reference[2:]) and len(charge.reference) == 21
    assert references_in(f"CK {charge.reference} nop phi") == ({charge.reference}, False)
    # The confirmation page after submitting shows the QR and the receipt link.
    assert response["Location"] == reverse("portal:dossier_submitted", args=[dossier.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'id="vietqr"' in page and charge.reference in page and "200.000 đồng" in page
    assert reverse("portal:dossier_receipt_pdf", args=[dossier.pk]) in page
    assert reverse("portal:dossier_qr_png", args=[dossier.pk]) in page
    assert "Lưu ảnh mã QR" in page and "portal/copy.js" in page


def test_without_a_fee_due_at_submission_no_charge_and_no_qr(
    client, hương, account, django_capture_on_commit_callbacks
):
    version = version_in_force(CODE)
    # A published version is immutable through save(); a test data set with another moment:
    type(version).objects.filter(pk=version.pk).update(fee_due="result")
    response, dossier = _submit(client, hương, django_capture_on_commit_callbacks)
    assert not Charge.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert 'id="vietqr"' not in page and "Tải giấy xác nhận nộp hồ sơ" in page
    assert client.get(reverse("portal:dossier_qr_png", args=[dossier.pk])).status_code == 404


def test_the_dossier_page_shows_the_qr_with_save_and_copy_while_owed(
    client, hương, account, django_capture_on_commit_callbacks
):
    _, dossier = _submit(client, hương, django_capture_on_commit_callbacks)
    charge = Charge.objects.get(dossier=dossier)
    page = client.get(reverse("portal:dossier_detail", args=[dossier.pk])).content.decode()
    assert 'id="vietqr"' in page and "Lưu ảnh mã QR" in page
    # The values are plain text (no JavaScript needed); the copy buttons wait for copy.js.
    assert f'<span id="fee-account">{ACCOUNT}</span>' in page
    assert f'<strong id="fee-reference">{charge.reference}</strong>' in page
    assert '<span id="fee-amount" hidden>200000</span>' in page
    assert page.count('class="link-button copy"') == 3 and "<script>" not in page
    assert "portal/copy.js" in page


def test_the_qr_png_is_an_attachment_with_a_vietnamese_name(
    client, hương, account, django_capture_on_commit_callbacks
):
    _, dossier = _submit(client, hương, django_capture_on_commit_callbacks)
    response = client.get(reverse("portal:dossier_qr_png", args=[dossier.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    disposition = response["Content-Disposition"]
    name = f"Mã VietQR nộp phí {dossier.short_reference}.png"
    assert disposition.startswith("attachment; ")
    assert f"filename*=UTF-8''{quote(name)}" in disposition
    assert f'filename="Ma VietQR nop phi {dossier.short_reference}.png"' in disposition


def test_paid_by_transfer_before_acceptance_the_desk_sees_it_and_the_qr_goes(
    client, desk, hương, account, django_capture_on_commit_callbacks
):
    _, dossier = _submit(client, hương, django_capture_on_commit_callbacks)
    charge = Charge.objects.get(dossier=dossier)
    credit_receive(
        None,
        CreditData(
            provider="generic",
            provider_txn_id="FT24127001",
            amount=200000,
            booked_at=datetime.fromisoformat("2024-05-06T10:05:00+07:00"),
            narrative=f"NGUYEN THI HUONG CK {charge.reference.lower()} LE PHI",
            account_number=ACCOUNT,
        ),
    )
    charge.refresh_from_db()
    assert charge.status == "paid"
    dossier.refresh_from_db()
    assert dossier.status == "submitted_online"  # the money never moves an unaccepted dossier
    page = client.get(reverse("portal:dossier_detail", args=[dossier.pk])).content.decode()
    assert 'id="vietqr"' not in page and "Đã nộp đủ 200.000 đồng" in page
    assert client.get(reverse("portal:dossier_qr_png", args=[dossier.pk])).status_code == 404
    # The desk accepts: the dossier gets its code, the charge keeps its reference, the panel
    # shows the money received.
    with django_capture_on_commit_callbacks(execute=True):
        act(desk["desk"], dossier, "accept", "2024-05-06T11:00")
    dossier.refresh_from_db()
    assert dossier.code and Charge.objects.get(dossier=dossier).reference == charge.reference
    officer = client
    officer.force_login(desk["desk"])
    panel = officer.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
    assert "Đã nộp đủ" in panel and charge.reference in panel


def test_another_citizen_gets_no_qr_png_and_nothing_changes(
    client, hương, account, django_capture_on_commit_callbacks
):
    _, dossier = _submit(client, hương, django_capture_on_commit_callbacks)
    other = citizen("0912000009", "Trần Văn An", "042190005678")
    client.force_login(other)
    before = list(Charge.objects.values_list("pk", "status", "received_total"))
    for name in ("dossier_qr_png", "dossier_receipt_pdf", "dossier_submitted"):
        assert client.get(reverse(f"portal:{name}", args=[dossier.pk])).status_code == 403
    assert list(Charge.objects.values_list("pk", "status", "received_total")) == before


# --- 9. the receipt of an online submission ------------------------------------------------------


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_receipt_pdf_names_reference_papers_files_times_and_a_provisional_date(
    client, hương, account, django_capture_on_commit_callbacks, tmp_path
):
    _, dossier = _submit(client, hương, django_capture_on_commit_callbacks)
    response = client.get(reverse("portal:dossier_receipt_pdf", args=[dossier.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    name = f"Giấy xác nhận nộp hồ sơ {dossier.short_reference}.pdf"
    disposition = response["Content-Disposition"]
    assert f"filename*=UTF-8''{quote(name)}" in disposition
    assert f'filename="Giay xac nhan nop ho so {dossier.short_reference}.pdf"' in (disposition)
    text = " ".join(_pdf_text(response.content, tmp_path).split())
    reference = f"{dossier.short_reference[:4]}-{dossier.short_reference[4:8]}-"
    assert "GIẤY XÁC NHẬN NỘP HỒ SƠ TRỰC TUYẾN" in text and reference in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp" in text
    assert "tờ khai lý lịch.pdf" in text and "căn cước.png" in text
    assert "10 giờ 00 phút, ngày 06/05/2024" in text  # submitted
    # 10 working days (80 h) from Mon 06/05/2024 10:00 on the working calendar, as if received.
    assert "10 giờ 00 phút, ngày 20/05/2024" in text and "dự kiến" in text
    assert "200.000 đồng" in text and "nộp khi nộp hồ sơ" in text


def test_the_receipt_after_acceptance_gives_the_official_date_not_a_provisional_one(
    desk, hương, client, tmp_path
):
    dossier = online_dossier(hương)
    dossier = act(desk["desk"], dossier, "accept", "2024-05-07T08:00")
    client.force_login(hương)
    response = client.get(reverse("portal:dossier_receipt_pdf", args=[dossier.pk]))
    text = " ".join(_pdf_text(response.content, tmp_path).split())
    assert dossier.code in text and "dự kiến, tính như" not in text


def test_the_receipt_link_is_on_the_dossier_page_only_for_online_dossiers(client, desk, hương):
    dossier = online_dossier(hương)
    client.force_login(hương)
    page = client.get(reverse("portal:dossier_detail", args=[dossier.pk])).content.decode()
    assert reverse("portal:dossier_receipt_pdf", args=[dossier.pk]) in page
