"""Mẫu 02 (supplement request) carries the payment QR when the procedure's fees are due with the
supplement — and not otherwise."""

import shutil
import subprocess

import pytest

from motcua.dossiers.official_forms.notices import notice_pdf, supplement_request_context
from motcua.payments.selectors import charge_payload
from tests.dossiers.test_services import act, receive
from tests.payments.helpers import collecting_account


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools missing")
def test_supplement_request_prints_the_payment_qr(
    desk_supplement_fee, tmp_path, django_capture_on_commit_callbacks
):
    people = desk_supplement_fee
    collecting_account()
    dossier = receive(people)
    act(people["head"], dossier, "assign", "2024-05-02T09:00", assignee_id=people["specialist"].pk)
    with django_capture_on_commit_callbacks(execute=True):  # the charge opens once it commits
        act(
            people["specialist"],
            dossier,
            "request_supplement",
            "2024-05-07T09:00",
            reason="Bổ sung tờ khai",
        )
    dossier.refresh_from_db()
    context = supplement_request_context(dossier)
    assert context["payment"].amount == 200000
    pdf = tmp_path / "mau02.pdf"
    pdf.write_bytes(notice_pdf("02", dossier))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Nộp phí, lệ phí bằng VietQR: 200.000 đồng" in text
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p*.png"))
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", *map(str, pages)], capture_output=True, text=True
    ).stdout.splitlines()
    dossier.refresh_from_db()
    assert charge_payload(dossier.charge) in decoded


def test_no_payment_qr_on_mau_02_when_fees_are_due_at_intake(desk, tmp_path):
    collecting_account()
    dossier = receive(desk)
    act(desk["head"], dossier, "assign", "2024-05-02T09:00", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "request_supplement", "2024-05-07T09:00", reason="Bổ sung")
    dossier.refresh_from_db()
    assert supplement_request_context(dossier)["payment"] is None
