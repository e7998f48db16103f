"""A dossier's whole life in a real browser: the desk receives and prints Mẫu 01 (its QR decodes to
the code), the head assigns, the specialist submits, the leader approves, the desk returns."""

import shutil
import subprocess

import pytest

from motcua.dossiers.models import Dossier

from .helpers import assert_no_axe_violations, sign_in

pytestmark = pytest.mark.browser


def act_as(page, user, dossier_id, button, **select):
    page.context.clear_cookies()
    sign_in(page, user)
    page.goto(f"/can-bo/ho-so/{dossier_id}/")
    for label, value in select.items():
        page.get_by_label(label).select_option(label=value)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    assert f"Đã {button.lower()} hồ sơ" in page.content(), page.content()


def test_a_dossier_from_the_desk_to_its_return(page, people, tmp_path):
    sign_in(page, people["desk"])
    page.goto("/can-bo/ho-so/tiep-nhan/")
    page.get_by_label("Mã hoặc tên thủ tục").fill("ly lich tu phap")  # no accents typed
    page.keyboard.press("Enter")
    page.get_by_role("link", name="2.001417").click()
    page.get_by_label("Số định danh cá nhân (CCCD)").fill("042190001234")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hương")
    page.get_by_label("Số điện thoại").fill("0912345678")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Tiếp nhận và in giấy hẹn").click()
    page.wait_for_load_state()

    dossier = Dossier.objects.get()
    assert dossier.code in page.content() and "Đã tiếp nhận hồ sơ" in page.content()
    assert_no_axe_violations(page)

    receipt = page.request.get(f"/can-bo/ho-so/{dossier.pk}/mau-01.pdf")
    assert receipt.ok and receipt.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "mau01.pdf"
    pdf.write_bytes(receipt.body())
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and "Nguyễn Thị Hương" in text
    if shutil.which("zbarimg"):
        subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(tmp_path / "p")], check=True)
        image = sorted(tmp_path.glob("p*.png"))[0]
        decoded = subprocess.run(
            ["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True
        ).stdout
        # The receipt's QR opens the public tracking page, the code readable in its address.
        assert f"/cong-dan/tra-cuu/{dossier.code}/" in decoded

    page.context.clear_cookies()
    sign_in(page, people["head"])
    page.goto("/can-bo/ho-so/")
    assert dossier.code in page.content()  # on the head's worklist
    page.goto(f"/can-bo/ho-so/{dossier.pk}/")
    page.get_by_label("Chuyên viên").select_option(label="Phạm Thị Xử Lý")
    page.get_by_role("button", name="Phân công xử lý").click()
    assert f"Đã phân công xử lý hồ sơ {dossier.code}." in page.content()

    act_as(page, people["specialist"], dossier.pk, "Trình ký")
    act_as(page, people["leader"], dossier.pk, "Ký duyệt")
    act_as(page, people["desk"], dossier.pk, "Trả kết quả")

    dossier.refresh_from_db()
    assert dossier.status == "returned"
    control_sheet = page.request.get(f"/can-bo/ho-so/{dossier.pk}/mau-05.pdf")
    assert control_sheet.ok
    sheet = tmp_path / "mau05.pdf"
    sheet.write_bytes(control_sheet.body())
    sheet_text = subprocess.run(
        ["pdftotext", str(sheet), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in sheet_text and dossier.code in sheet_text
    assert sheet_text.count("Giao:") >= 4  # each hand-off: desk → head → specialist → leader → desk
    history = page.locator("ol.history li").all_inner_texts()
    assert [line.split("— ")[1].split(":")[0] for line in history] == [
        "Trần Thị Tiếp",
        "Lê Văn Trưởng",
        "Phạm Thị Xử Lý",
        "Nguyễn Văn Giám",
        "Trần Thị Tiếp",
    ]
